using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using SpNet.Core;
using SpNet.Transports.Tcp;
using SpNet.Transports.Tls;

namespace SpNet.Transports.Ws;

/// <summary>
/// Connects to a ws:// address and upgrades the connection, asking for the peer's subprotocol
/// (<c>rep.sp.nanomsg.org</c> when a REQ dials). The answer must be 101 with a valid accept key and the same
/// subprotocol, as NNG requires. For wss, TLS (<see cref="Socket.Tls"/>) runs first, verifying the URL's host.
/// </summary>
internal sealed class WsDialer : ITransportDialer
{
    private readonly SpUrl _url;
    private readonly TransportSettings _settings;
    private readonly int _defaultPort;
    private readonly bool _secure;

    public WsDialer(SpUrl url, TransportSettings settings, int defaultPort, bool secure)
    {
        _url = url;
        _settings = settings;
        _defaultPort = defaultPort;
        _secure = secure;
    }

    public async ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken)
    {
        IPAddress[] addresses = await WsTransport.ResolveAsync(_url, cancellationToken).ConfigureAwait(false);
        System.Net.Sockets.Socket socket = await TcpDialer.ConnectAnyAsync(_url, addresses, _settings, cancellationToken).ConfigureAwait(false);
        return await UpgradeAsync(socket, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<Pipe> UpgradeAsync(System.Net.Sockets.Socket socket, CancellationToken cancellationToken)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_settings.HandshakeTimeout > TimeSpan.Zero && _settings.HandshakeTimeout != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(_settings.HandshakeTimeout);
        }
        string subProtocol = WsHandshake.SubProtocol(_settings.PeerName);
        string path = _url.Path.Length > 0 ? _url.Path : "/";
        try
        {
            if (_secure)
            {
                stream = await SecureAsync(stream, timeout.Token).ConfigureAwait(false);
            }
            string key = WsHandshake.NewKey();
            await stream.WriteAsync(WsHandshake.Request(path, WsHandshake.HostField(_url, _defaultPort), key, subProtocol), timeout.Token).ConfigureAwait(false);
            (byte[]? bytes, ArraySegment<byte> extra, bool tooLarge) = await HttpHead.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (bytes is null)
            {
                throw tooLarge
                    ? new SpNetException(SpError.Protocol, $"{_url}: the server's response head exceeds {HttpHead.MaxSize} bytes")
                    : new SpNetException(SpError.ConnectionShutdown, $"{_url}: the server closed the connection during the WebSocket upgrade");
            }
            HttpHead head = HttpHead.Parse(bytes, response: true)
                ?? throw new SpNetException(SpError.Protocol, $"{_url}: the server's answer is not HTTP/1.1");
            if (head.Second != "101")
            {
                throw new SpNetException(SpError.ConnectionRefused, $"{_url}: the server refused the WebSocket upgrade: HTTP {head.Second} {head.Third}");
            }
            string? problem = Check(head, key, subProtocol);
            if (problem is not null)
            {
                throw new SpNetException(SpError.Protocol, $"{_url}: bad WebSocket upgrade response: {problem}");
            }
            var upgraded = new PrefixedStream(stream, extra);
            WebSocket webSocket = WsHandshake.Open(upgraded, isServer: false, subProtocol);
            string local = socket.LocalEndPoint?.ToString() ?? "";
            string remote = socket.RemoteEndPoint?.ToString() ?? "";
            return new WebSocketPipe(webSocket, upgraded, _settings.PeerProtocol, $"{_url.Scheme}://{local}", $"{_url.Scheme}://{remote}{path}", _settings.MaxReceiveSize, _settings.SendQueueCapacity)
            {
                TcpSocket = socket,
            };
        }
        catch (Exception ex)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            WsHandshake.ThrowIfTimedOutOrReset(ex, cancellationToken.IsCancellationRequested, _settings.HandshakeTimeout,
                $"{_url}: WebSocket upgrade not answered", $"{_url}: connection failed during the WebSocket upgrade");
            throw;
        }
    }

    /// <summary>TLS as the client of the URL's host (wss).</summary>
    private async ValueTask<Stream> SecureAsync(Stream stream, CancellationToken cancellationToken) =>
        await TlsStreamFactory.AuthenticateAsClientAsync(stream, _url.Original, _url.Host, _settings.Tls, _settings.HandshakeTimeout, cancellationToken).ConfigureAwait(false);

    /// <summary>Why a 101 response is not acceptable, or null when it is.</summary>
    private static string? Check(HttpHead head, string key, string subProtocol)
    {
        if (!head.HasToken("Upgrade", "websocket") || !head.HasToken("Connection", "upgrade"))
        {
            return "missing Upgrade: websocket / Connection: Upgrade";
        }
        if (head["Sec-WebSocket-Accept"] != WsHandshake.AcceptFor(key))
        {
            return "wrong Sec-WebSocket-Accept";
        }
        string? echoed = head["Sec-WebSocket-Protocol"];
        if (echoed is null || !echoed.Equals(subProtocol, StringComparison.OrdinalIgnoreCase))
        {
            return $"subprotocol '{echoed}' instead of {subProtocol}";
        }
        return null;
    }
}
