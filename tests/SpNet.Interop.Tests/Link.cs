using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Connects one SpNet socket with one or more successive peer processes, with SpNet on the given <see cref="Side"/>.
/// When SpNet listens, its listener is bound before any peer starts (nngcat's dial is synchronous and fails when
/// refused). When SpNet dials, every peer listens on the same free port and SpNet's background dialer (100 ms
/// backoff) reconnects to each in turn. The transport is <c>tcp</c> or <c>ws</c>; over ws, SpNet listens on path
/// <c>/</c> and a listening peer gets <c>ws://127.0.0.1:PORT/</c>, except nanocat, which binds ws only without a path.
/// </summary>
internal sealed class Link
{
    private readonly Socket _socket;
    private readonly Side _side;
    private readonly string _url;
    private readonly string _transport;
    private bool _dialing;

    public Link(Socket socket, Side side, string transport = "tcp")
    {
        _socket = socket;
        _side = side;
        _transport = transport;
        _url = (side, transport) switch
        {
            (Side.SpNetListens, "tcp") => socket.Listen("tcp://127.0.0.1:0").Url,
            (Side.SpNetDials, "tcp") => TestNetwork.FreeTcpUrl(),
            (Side.SpNetListens, "ws") => socket.Listen("ws://127.0.0.1:0/").Url,
            (Side.SpNetDials, "ws") => $"ws://127.0.0.1:{TestNetwork.FreePort()}/",
            _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "tcp or ws"),
        };
    }

    /// <summary>The address SpNet uses, and the peer too (but for nanocat binding ws, see the class remarks).</summary>
    public string Url => _url;

    /// <summary>
    /// Starts <paramref name="cat"/> as <paramref name="protocol"/> (e.g. <c>--push</c>) with its listen or dial
    /// address and then <paramref name="options"/>.
    /// </summary>
    public PeerProcess Start(Cat cat, string protocol, params string[] options)
    {
        string[] address = _side == Side.SpNetListens ? [cat.DialFlag, _url] : [cat.ListenFlag, PeerListenUrl(cat)];
        PeerProcess peer = cat.Start([protocol, .. address, .. options]);
        if (_side == Side.SpNetDials && !_dialing)
        {
            _dialing = true;
            _socket.Dial(_url);
        }
        return peer;
    }

    private string PeerListenUrl(Cat cat) => _transport == "ws" && cat.IsNanocat ? _url.TrimEnd('/') : _url;
}
