using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Connects one SpNet socket with one or more successive peer processes, with SpNet on the given <see cref="Side"/>.
/// When SpNet listens, its listener is bound before any peer starts (nngcat's dial is synchronous and fails when
/// refused). When SpNet dials, every peer listens on the same free port and SpNet's background dialer (100 ms
/// backoff) reconnects to each in turn.
/// </summary>
internal sealed class Link
{
    private readonly Socket _socket;
    private readonly Side _side;
    private readonly string _url;
    private bool _dialing;

    public Link(Socket socket, Side side)
    {
        _socket = socket;
        _side = side;
        _url = side == Side.SpNetListens ? socket.Listen("tcp://127.0.0.1:0").Url : TestNetwork.FreeTcpUrl();
    }

    /// <summary>The address both ends use.</summary>
    public string Url => _url;

    /// <summary>
    /// Starts <paramref name="cat"/> as <paramref name="protocol"/> (e.g. <c>--push</c>) with its listen or dial
    /// address and then <paramref name="options"/>.
    /// </summary>
    public PeerProcess Start(Cat cat, string protocol, params string[] options)
    {
        string[] address = _side == Side.SpNetListens ? [cat.DialFlag, _url] : [cat.ListenFlag, _url];
        PeerProcess peer = cat.Start([protocol, .. address, .. options]);
        if (_side == Side.SpNetDials && !_dialing)
        {
            _dialing = true;
            _socket.Dial(_url);
        }
        return peer;
    }
}
