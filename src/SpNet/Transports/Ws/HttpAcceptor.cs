using System.Net;
using System.Net.Sockets;
using SpNet.Transports.Tcp;

namespace SpNet.Transports.Ws;

/// <summary>
/// One bound TCP port serving WebSocket upgrades for any number of ws:// listeners on different paths (NNG lets
/// listeners share a port this way, even across sockets). It reads each request head, answers what no listener
/// wants (404 for an unknown path or host, 405 for a method other than GET, 400 for garbage) and hands the rest
/// to the listener whose path matches. An acceptor lives while at least one listener is registered.
/// </summary>
internal sealed class HttpAcceptor
{
    private static readonly Lock s_gate = new();
    private static readonly Dictionary<IPEndPoint, HttpAcceptor> s_byEndPoint = [];

    private readonly System.Net.Sockets.Socket _socket;
    private readonly List<WsRoute> _routes = [];
    private readonly StreamWrapper? _secure;

    private HttpAcceptor(System.Net.Sockets.Socket socket, StreamWrapper? secure)
    {
        _socket = socket;
        _secure = secure;
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    /// <summary>Wraps an accepted connection before HTTP is read (TLS for wss), within the given time.</summary>
    public delegate ValueTask<Stream> StreamWrapper(Stream accepted, CancellationToken cancellationToken);

    /// <summary>The bound address and port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>
    /// Adds <paramref name="route"/> to the acceptor for <paramref name="endPoint"/>, binding it first when no
    /// listener in the process holds it yet (port 0 always binds a fresh port). Throws <see cref="SpNetException"/>
    /// (AddressInUse) when the port is taken by something else, the path is already served, or one of ws and wss
    /// asks for a port the other serves. A wss port keeps the TLS settings of the listener that bound it (as NNG's
    /// HTTP server, which has one TLS configuration per port).
    /// </summary>
    public static HttpAcceptor Register(IPEndPoint endPoint, bool dualMode, WsRoute route, string url, StreamWrapper? secure)
    {
        lock (s_gate)
        {
            if (endPoint.Port == 0 || !s_byEndPoint.TryGetValue(endPoint, out HttpAcceptor? acceptor))
            {
                acceptor = new HttpAcceptor(Bind(endPoint, dualMode, url), secure);
                s_byEndPoint[acceptor.EndPoint] = acceptor;
                _ = acceptor.AcceptLoopAsync();
            }
            else if ((acceptor._secure is null) != (secure is null))
            {
                throw new SpNetException(SpError.AddressInUse, $"{url}: cannot listen: port {endPoint.Port} already serves {(secure is null ? "wss" : "ws")}");
            }
            foreach (WsRoute other in acceptor._routes)
            {
                if (other.Path == route.Path && string.Equals(other.Host, route.Host, StringComparison.OrdinalIgnoreCase))
                {
                    throw new SpNetException(SpError.AddressInUse, $"{url}: cannot listen: path '{route.Path}/' is already served on port {acceptor.EndPoint.Port}");
                }
            }
            acceptor._routes.Add(route);
            return acceptor;
        }
    }

    /// <summary>Removes a route; the last one out closes the port.</summary>
    public void Unregister(WsRoute route)
    {
        lock (s_gate)
        {
            if (!_routes.Remove(route) || _routes.Count > 0)
            {
                return;
            }
            s_byEndPoint.Remove(EndPoint);
            _socket.Dispose(); // under the lock, so a listener binding the port next finds it free
        }
    }

    private static System.Net.Sockets.Socket Bind(IPEndPoint endPoint, bool dualMode, string url)
    {
        var socket = new System.Net.Sockets.Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (dualMode)
            {
                socket.DualMode = true;
            }
            socket.Bind(endPoint);
            socket.Listen(512);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            SpError error = TcpTransport.Translate(ex.SocketErrorCode);
            string cause = error == SpError.AddressInUse ? "address in use" : ex.Message;
            throw new SpNetException(error, $"{url}: cannot listen: {cause}", ex);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            System.Net.Sockets.Socket accepted;
            try
            {
                accepted = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (IsClosed)
            {
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100)).ConfigureAwait(false); // out of descriptors and the like
                continue;
            }
            _ = ServeAsync(accepted);
        }
    }

    private bool IsClosed
    {
        get
        {
            lock (s_gate)
            {
                return _routes.Count == 0;
            }
        }
    }

    /// <summary>Reads one request head within the longest handshake timeout of the listeners here, then routes it.</summary>
    private async Task ServeAsync(System.Net.Sockets.Socket accepted)
    {
        Stream stream = new NetworkStream(accepted, ownsSocket: true);
        string remote = accepted.RemoteEndPoint?.ToString() ?? "";
        bool handedOver = false;
        try
        {
            using var timeout = new CancellationTokenSource(LongestHandshakeTimeout());
            if (_secure is not null)
            {
                try
                {
                    stream = await _secure(stream, timeout.Token).ConfigureAwait(false);
                }
                catch (SpNetException ex)
                {
                    ReportFailure(new WsUpgrade(stream, accepted, null, remote, "", ex));
                    return;
                }
            }
            (byte[]? bytes, ArraySegment<byte> extra, bool tooLarge) = await HttpHead.ReadAsync(stream, timeout.Token).ConfigureAwait(false);
            if (bytes is null)
            {
                if (tooLarge)
                {
                    await RefuseAsync(stream, accepted, HttpHead.ErrorResponse(400, "Bad Request", $"request head over {HttpHead.MaxSize} bytes"), timeout.Token).ConfigureAwait(false);
                }
                return;
            }
            HttpHead? head = HttpHead.Parse(bytes, response: false);
            if (head is null)
            {
                await RefuseAsync(stream, accepted, HttpHead.ErrorResponse(400, "Bad Request", "malformed HTTP request"), timeout.Token).ConfigureAwait(false);
                return;
            }
            WsRoute? route = Find(head.Second, head["Host"]);
            if (route is null)
            {
                await RefuseAsync(stream, accepted, HttpHead.ErrorResponse(404, "Not Found", $"no SP listener at '{head.Second}'"), timeout.Token).ConfigureAwait(false);
                return;
            }
            if (head.First != "GET")
            {
                await RefuseAsync(stream, accepted, HttpHead.ErrorResponse(405, "Method Not Allowed", "only GET upgrades to a WebSocket", "Allow: GET"), timeout.Token).ConfigureAwait(false);
                return;
            }
            var local = (IPEndPoint?)accepted.LocalEndPoint;
            handedOver = route.Offer(new WsUpgrade(new PrefixedStream(stream, extra), accepted, head, remote, local?.ToString() ?? ""));
            if (!handedOver)
            {
                await RefuseAsync(stream, accepted, HttpHead.ErrorResponse(404, "Not Found", $"no SP listener at '{head.Second}'"), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException or SpNetException)
        {
            _ = ex; // a peer that vanished, stalled or failed TLS: nothing to answer
        }
        finally
        {
            if (!handedOver)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands a failure that no route was chosen for to the first listener on the port, which counts and logs it.</summary>
    private void ReportFailure(WsUpgrade failure)
    {
        WsRoute? first;
        lock (s_gate)
        {
            first = _routes.Count > 0 ? _routes[0] : null;
        }
        first?.Offer(failure);
    }

    private WsRoute? Find(string target, string? host)
    {
        string path = WsHandshake.NormalizePath(target);
        lock (s_gate)
        {
            foreach (WsRoute route in _routes)
            {
                if (route.Path == path && WsHandshake.HostMatches(route.Host, host))
                {
                    return route;
                }
            }
        }
        return null;
    }

    private TimeSpan LongestHandshakeTimeout()
    {
        TimeSpan longest = TimeSpan.Zero;
        lock (s_gate)
        {
            foreach (WsRoute route in _routes)
            {
                longest = route.HandshakeTimeout > longest ? route.HandshakeTimeout : longest;
            }
        }
        return longest > TimeSpan.Zero ? longest : TimeSpan.FromSeconds(10);
    }

    /// <summary>Sends an error response, stops sending, and gives the peer a moment to read it before the connection closes.</summary>
    internal static async Task RefuseAsync(Stream stream, System.Net.Sockets.Socket socket, byte[] response, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
        // Read (and drop) what the peer still sends until it closes, so that closing does not reset the connection
        // and destroy the response before the peer has read it.
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(TimeSpan.FromSeconds(1));
        byte[] sink = new byte[1024];
        try
        {
            while (await stream.ReadAsync(sink, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            // The peer kept the connection open: close it anyway.
        }
    }
}
