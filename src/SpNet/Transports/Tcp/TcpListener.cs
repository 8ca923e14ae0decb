using System.Net;
using System.Net.Sockets;
using SpNet.Core;
using SpNet.Transports.Framing;

namespace SpNet.Transports.Tcp;

/// <summary>Binds a tcp:// address (port 0 = any free port) and accepts connections.</summary>
internal sealed class TcpListener : ITransportListener
{
    private readonly SpUrl _url;
    private readonly TransportSettings _settings;
    private System.Net.Sockets.Socket? _socket;

    public TcpListener(SpUrl url, TransportSettings settings)
    {
        _url = url;
        _settings = settings;
        Url = url.Original;
    }

    public string Url { get; private set; }

    public void Bind()
    {
        IPAddress address;
        if (_url.IsWildcardHost)
        {
            address = TcpTransport.FamilyOf(_url) == AddressFamily.InterNetwork || !System.Net.Sockets.Socket.OSSupportsIPv6 ? IPAddress.Any : IPAddress.IPv6Any;
        }
        else if (!IPAddress.TryParse(_url.Host, out address!))
        {
            // A host name: bind to its first address, as NNG does.
            address = TcpTransport.ResolveAsync(_url, CancellationToken.None).AsTask().GetAwaiter().GetResult()[0];
        }
        var socket = new System.Net.Sockets.Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any) && TcpTransport.FamilyOf(_url) is null)
            {
                socket.DualMode = true;
            }
            socket.Bind(new IPEndPoint(address, _url.Port));
            socket.Listen(512);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            SpError error = TcpTransport.Translate(ex.SocketErrorCode);
            string cause = error == SpError.AddressInUse ? "address in use" : ex.Message;
            throw new SpNetException(error, $"{_url}: cannot listen: {cause}", ex);
        }
        _socket = socket;
        Url = _url.WithPort(((IPEndPoint)socket.LocalEndPoint!).Port);
    }

    public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
    {
        System.Net.Sockets.Socket accepted = await AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
        return new Pending(accepted, Url, _settings);
    }

    /// <summary>Accepts the next TCP connection only (tls+tcp layers TLS on it).</summary>
    internal async ValueTask<System.Net.Sockets.Socket> AcceptSocketAsync(CancellationToken cancellationToken)
    {
        var listening = _socket ?? throw new SpNetException(SpError.Closed, $"{Url}: listener not bound");
        System.Net.Sockets.Socket accepted = await listening.AcceptAsync(cancellationToken).ConfigureAwait(false);
        return accepted;
    }

    public void Dispose() => _socket?.Dispose();

    /// <summary>Runs the SP handshake over a connected socket and wraps it in a pipe; closes the socket on failure.</summary>
    internal static async ValueTask<Pipe> NegotiateAsync(System.Net.Sockets.Socket socket, string url, TransportSettings settings, CancellationToken cancellationToken)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            ushort peer = await Handshake.ExchangeAsync(stream, settings.SelfProtocol, settings.HandshakeTimeout, url, cancellationToken).ConfigureAwait(false);
            string local = socket.LocalEndPoint?.ToString() ?? "";
            string remote = socket.RemoteEndPoint?.ToString() ?? "";
            return new StreamPipe(stream, ipc: false, peer, $"tcp://{local}", $"tcp://{remote}", settings.MaxReceiveSize, settings.SendQueueCapacity) { TcpSocket = socket };
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Applies the keepalive and user-timeout settings to an accepted socket; on failure (a connection reset before
    /// we got to it) closes the socket and throws, so it counts as a failed handshake, not as a broken accept loop.
    /// </summary>
    internal static void Tune(System.Net.Sockets.Socket accepted, TransportSettings settings)
    {
        try
        {
            settings.Tcp.Apply(accepted);
        }
        catch
        {
            accepted.Dispose();
            throw;
        }
    }

    private sealed class Pending(System.Net.Sockets.Socket socket, string url, TransportSettings settings) : IPendingPipe
    {
        public string RemoteAddress { get; } = socket.RemoteEndPoint?.ToString() ?? "";

        public ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken)
        {
            Tune(socket, settings);
            return TcpListener.NegotiateAsync(socket, url, settings, cancellationToken);
        }
    }
}
