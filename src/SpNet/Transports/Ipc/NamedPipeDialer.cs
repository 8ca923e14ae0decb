using System.IO.Pipes;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Ipc;

/// <summary>
/// The ipc:// dialer on Windows: connects to the named pipe <c>\\.\pipe\NAME</c> (as NNG and mangos map ipc://NAME there)
/// and speaks the same IPC framing over it.
/// </summary>
internal sealed class NamedPipeDialer(string url, string pipeName, TransportSettings settings) : ITransportDialer
{
    /// <summary>How long to wait for a free server instance before calling the pipe refused.</summary>
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(1);

    public async ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new NamedPipeClientStream(".", pipeName, PipeDirection.InOut, PipeOptions.Asynchronous);
        try
        {
            await client.ConnectAsync(s_connectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new SpNetException(SpError.ConnectionRefused, $"{url}: connection refused (no listener on pipe '{pipeName}')", ex);
        }
        catch (IOException ex)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new SpNetException(SpError.ConnectionRefused, $"{url}: {ex.Message}", ex);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return await StreamPipe.OpenAsync(client, ipc: true, url, url, url, settings, cancellationToken).ConfigureAwait(false);
    }
}
