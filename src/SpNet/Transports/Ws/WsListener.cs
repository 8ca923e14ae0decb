using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Threading.Channels;
using SpNet.Core;
using SpNet.Transports.Tcp;
using SpNet.Transports.Tls;

namespace SpNet.Transports.Ws;

/// <summary>
/// A ws:// listener: a path (and host, when the URL names one) on a port shared through <see cref="HttpAcceptor"/>.
/// Accepting completes the upgrade: the request must ask for our own protocol's subprotocol, else HTTP 400.
/// For wss the port's acceptor runs TLS (with the certificate of the listener that bound the port) before HTTP.
/// </summary>
internal sealed class WsListener : ITransportListener
{
    private readonly SpUrl _url;
    private readonly TransportSettings _settings;
    private readonly WsRoute _route;
    private readonly bool _secure;
    private HttpAcceptor? _acceptor;

    public WsListener(SpUrl url, TransportSettings settings, bool secure)
    {
        _url = url;
        _settings = settings;
        _secure = secure;
        Url = url.Original;
        _route = new WsRoute(url.Path.Length > 0 ? url.Path : "/", url.IsWildcardHost ? null : url.Host, settings.HandshakeTimeout);
    }

    public string Url { get; private set; }

    public void Bind()
    {
        IPAddress address;
        AddressFamily? family = WsTransport.FamilyOf(_url);
        if (_url.IsWildcardHost)
        {
            address = family == AddressFamily.InterNetwork || !System.Net.Sockets.Socket.OSSupportsIPv6 ? IPAddress.Any : IPAddress.IPv6Any;
        }
        else if (!IPAddress.TryParse(_url.Host, out address!))
        {
            // A host name: bind to its first address, as NNG does.
            address = WsTransport.ResolveAsync(_url, CancellationToken.None).AsTask().GetAwaiter().GetResult()[0];
        }
        bool dualMode = address.Equals(IPAddress.IPv6Any) && family is null;
        _acceptor = HttpAcceptor.Register(new IPEndPoint(address, _url.Port), dualMode, _route, _url.Original, SecureWrapper());
        Url = _url.WithPort(_acceptor.EndPoint.Port);
    }

    /// <summary>For wss, TLS as a server on each accepted connection; null for ws.</summary>
    private HttpAcceptor.StreamWrapper? SecureWrapper()
    {
        if (!_secure)
        {
            return null;
        }
        TlsOptions options = _settings.Tls!; // checked when the listener was made
        TimeSpan timeout = _settings.HandshakeTimeout;
        string url = _url.Original;
        return async (stream, cancellationToken) =>
            await TlsStreamFactory.AuthenticateAsServerAsync(stream, url, options, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken)
    {
        if (_acceptor is null)
        {
            throw new SpNetException(SpError.Closed, $"{Url}: listener not bound");
        }
        try
        {
            WsUpgrade upgrade = await _route.TakeAsync(cancellationToken).ConfigureAwait(false);
            return new Pending(upgrade, Url, _settings, _secure ? "wss" : "ws");
        }
        catch (ChannelClosedException ex)
        {
            throw new ObjectDisposedException($"{Url}: listener closed", ex);
        }
    }

    public void Dispose()
    {
        _acceptor?.Unregister(_route);
        _route.Close();
    }

    private sealed class Pending(WsUpgrade upgrade, string url, TransportSettings settings, string scheme) : IPendingPipe
    {
        public string RemoteAddress => upgrade.RemoteAddress;

        public async ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken)
        {
            if (upgrade.Failure is not null)
            {
                throw upgrade.Failure; // already disposed by whoever failed; the listener counts and logs it
            }
            Stream stream = upgrade.Stream;
            HttpHead head = upgrade.Head!;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (settings.HandshakeTimeout > TimeSpan.Zero && settings.HandshakeTimeout != Timeout.InfiniteTimeSpan)
            {
                timeout.CancelAfter(settings.HandshakeTimeout);
            }
            string subProtocol = WsHandshake.SubProtocol(settings.SelfName);
            try
            {
                settings.Tcp.Apply(upgrade.Socket);
                string? problem = Check(head, subProtocol);
                if (problem is not null)
                {
                    await HttpAcceptor.RefuseAsync(stream, upgrade.Socket, HttpHead.ErrorResponse(400, "Bad Request", problem), timeout.Token).ConfigureAwait(false);
                    throw new SpNetException(SpError.Protocol, $"{url}: refused the upgrade from {upgrade.RemoteAddress}: {problem}");
                }
                await stream.WriteAsync(WsHandshake.Accepted(head["Sec-WebSocket-Key"]!, subProtocol), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                WsHandshake.ThrowIfTimedOutOrReset(ex, cancellationToken.IsCancellationRequested, settings.HandshakeTimeout,
                    $"{url}: upgrade with {upgrade.RemoteAddress} not done", $"{url}: connection failed during the upgrade");
                throw;
            }
            WebSocket socket = WsHandshake.Open(stream, isServer: true, subProtocol);
            return new WebSocketPipe(socket, stream, settings.PeerProtocol, $"{scheme}://{upgrade.LocalAddress}{head.Second}", $"{scheme}://{upgrade.RemoteAddress}", settings.MaxReceiveSize, settings.SendQueueCapacity)
            {
                TcpSocket = upgrade.Socket,
            };
        }

        /// <summary>Why the request cannot be upgraded, or null when it can.</summary>
        private static string? Check(HttpHead head, string subProtocol)
        {
            if (!head.HasToken("Upgrade", "websocket") || !head.HasToken("Connection", "upgrade"))
            {
                return "not a WebSocket upgrade request";
            }
            if (head["Sec-WebSocket-Version"] != "13")
            {
                return $"unsupported Sec-WebSocket-Version '{head["Sec-WebSocket-Version"]}' (need 13)";
            }
            if (!WsHandshake.IsValidKey(head["Sec-WebSocket-Key"]))
            {
                return "missing or malformed Sec-WebSocket-Key";
            }
            string? asked = head["Sec-WebSocket-Protocol"];
            if (asked is null)
            {
                return $"no Sec-WebSocket-Protocol (this listener speaks {subProtocol})";
            }
            if (!asked.Equals(subProtocol, StringComparison.OrdinalIgnoreCase))
            {
                return $"SP protocol mismatch: asked for '{asked}', this listener speaks {subProtocol}";
            }
            return null;
        }
    }
}
