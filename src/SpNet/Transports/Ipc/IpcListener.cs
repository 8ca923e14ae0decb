using System.Net.Sockets;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Ipc;

/// <summary>
/// Binds an ipc:// path or abstract:// name and accepts connections. For a path, as NNG does: a socket file left by a dead
/// process (connecting is refused) is removed before binding, a live one is <see cref="SpError.AddressInUse"/>, the file
/// gets <see cref="TransportSettings.IpcPermissions"/> after binding and is removed when the listener closes.
/// </summary>
internal sealed class IpcListener(string url, UnixDomainSocketEndPoint endpoint, string? filePath, TransportSettings settings) : ITransportListener
{
    private System.Net.Sockets.Socket? _socket;
    private bool _ownsFile;

    public string Url { get; } = url;

    public void Bind()
    {
        if (filePath is not null)
        {
            RemoveStaleSocketFile();
        }
        var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(endpoint);
            _ownsFile = filePath is not null;
            socket.Listen(512);
            if (filePath is not null && settings.IpcPermissions is UnixFileMode mode && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(filePath, mode);
            }
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            RemoveOwnFile();
            SpError error = ex is SocketException se ? IpcTransport.Translate(se.SocketErrorCode) : SpError.Permission;
            string cause = error == SpError.AddressInUse ? "address in use" : ex.Message;
            throw new SpNetException(error, $"{Url}: cannot listen: {cause}", ex);
        }
        _socket = socket;
    }

    public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
    {
        var listening = _socket ?? throw new SpNetException(SpError.Closed, $"{Url}: listener not bound");
        System.Net.Sockets.Socket accepted = await listening.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return new Pending(accepted, Url, settings);
    }

    public void Dispose()
    {
        _socket?.Dispose();
        RemoveOwnFile();
    }

    /// <summary>Runs the SP handshake over a connected Unix socket and wraps it in an IPC-framed pipe; closes the socket on failure.</summary>
    internal static ValueTask<Pipe> NegotiateAsync(System.Net.Sockets.Socket socket, string url, TransportSettings settings, CancellationToken cancellationToken)
    {
        WidenSendBuffer(socket);
        return StreamPipe.OpenAsync(new NetworkStream(socket, ownsSocket: true), ipc: true, url, url, url, settings, cancellationToken);
    }

    /// <summary>
    /// Send buffer asked of a Unix stream socket. Such a socket has no receive buffer of its own: what the peer has not
    /// read counts against the sender's buffer, ~208 KiB by default, where tcp on loopback grows to 4 MiB by itself.
    /// At the default a 16 KiB stream stalled the sender every dozen messages; asking 2 MiB (Linux doubles it, capped
    /// by net.core.wmem_max) took PAIR0 ipc 16 KiB from 74–133k to 96–248k msg/s, with 4× fewer voluntary context
    /// switches on the sender (spbench local_thr/remote_thr, five alternating runs, load 18–20).
    /// </summary>
    private const int SendBufferBytes = 2 * 1024 * 1024;

    private static void WidenSendBuffer(System.Net.Sockets.Socket socket)
    {
        try
        {
            socket.SendBufferSize = SendBufferBytes;
        }
        catch (SocketException)
        {
            // A platform that refuses keeps its default: slower for large messages, not wrong.
        }
    }

    private void RemoveStaleSocketFile()
    {
        if (!File.Exists(filePath))
        {
            return;
        }
        using var probe = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            // Nobody accepts there: a leftover from a process that died without unlinking it.
            File.Delete(filePath!);
            return;
        }
        catch (SocketException)
        {
            return; // let bind report what is wrong
        }
        throw new SpNetException(SpError.AddressInUse, $"{Url}: cannot listen: address in use (another process is listening on '{filePath}')");
    }

    private void RemoveOwnFile()
    {
        if (!_ownsFile)
        {
            return;
        }
        _ownsFile = false;
        try
        {
            File.Delete(filePath!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort, as NNG: the file is gone or not ours to remove.
        }
    }

    private sealed class Pending(System.Net.Sockets.Socket socket, string url, TransportSettings settings) : IPendingPipe
    {
        public string RemoteAddress => url;

        public ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken) => IpcListener.NegotiateAsync(socket, url, settings, cancellationToken);
    }
}
