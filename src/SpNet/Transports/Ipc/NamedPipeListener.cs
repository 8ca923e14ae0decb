using System.IO.Pipes;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Ipc;

/// <summary>
/// The ipc:// listener on Windows: serves the named pipe <c>\\.\pipe\NAME</c>. Each accepted client consumes one server
/// instance, so a fresh instance is created before the next accept. The first instance is created in <see cref="Bind"/>
/// with FirstPipeInstance, so a name already served by another process is <see cref="SpError.AddressInUse"/>.
/// </summary>
internal sealed class NamedPipeListener(string url, string pipeName, TransportSettings settings) : ITransportListener
{
    private readonly object _gate = new();
    private NamedPipeServerStream? _next;
    private bool _disposed;

    public string Url { get; } = url;

    public void Bind()
    {
        try
        {
            _next = Create(first: true);
        }
        catch (IOException ex)
        {
            throw new SpNetException(SpError.AddressInUse, $"{Url}: cannot listen: address in use ({ex.Message})", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new SpNetException(SpError.AddressInUse, $"{Url}: cannot listen: pipe '{pipeName}' is owned by another process", ex);
        }
    }

    public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
    {
        NamedPipeServerStream server;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            server = _next ?? throw new SpNetException(SpError.Closed, $"{Url}: listener not bound");
        }
        await server.WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            // The connected instance now belongs to its pipe; the next client needs a new one.
            _next = _disposed ? null : Create(first: false);
        }
        return new Pending(server, Url, settings);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _next?.Dispose();
            _next = null;
        }
    }

    private NamedPipeServerStream Create(bool first) =>
        new(pipeName, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte,
            PipeOptions.Asynchronous | (first && OperatingSystem.IsWindows() ? PipeOptions.FirstPipeInstance : PipeOptions.None));

    private sealed class Pending(NamedPipeServerStream server, string url, TransportSettings settings) : IPendingPipe
    {
        public string RemoteAddress => url;

        public ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken) =>
            StreamPipe.OpenAsync(server, ipc: true, url, url, url, settings, cancellationToken);
    }
}
