using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Connects one SpNet socket with one or more successive peer processes, with SpNet on the given <see cref="Side"/>,
/// over tcp, ipc or tls+tcp (<see cref="Carrier"/>).
/// When SpNet listens, its listener is bound before any peer starts (nngcat's dial is synchronous and fails when
/// refused). When SpNet dials, every peer listens on the same free address and SpNet's background dialer (100 ms
/// backoff) reconnects to each in turn.
/// </summary>
internal sealed class Link
{
    private readonly Socket _socket;
    private readonly Side _side;
    private readonly Carrier _carrier;
    private readonly string _url;
    private bool _dialing;

    public Link(Socket socket, Side side, Carrier carrier = Carrier.Tcp)
    {
        _socket = socket;
        _side = side;
        _carrier = carrier;
        if (carrier == Carrier.Tls)
        {
            socket.Tls = side == Side.SpNetListens ? InteropFiles.Certificates.ServerOptions() : InteropFiles.Certificates.ClientOptions();
        }
        string address = carrier switch
        {
            Carrier.Ipc => "ipc://" + InteropFiles.IpcPath(),
            Carrier.Tls => side == Side.SpNetListens ? "tls+tcp://localhost:0" : $"tls+tcp://localhost:{TestNetwork.FreePort()}",
            _ => side == Side.SpNetListens ? "tcp://127.0.0.1:0" : TestNetwork.FreeTcpUrl(),
        };
        _url = side == Side.SpNetListens ? socket.Listen(address).Url : address;
    }

    /// <summary>The address both ends use.</summary>
    public string Url => _url;

    /// <summary>
    /// Starts <paramref name="cat"/> as <paramref name="protocol"/> (e.g. <c>--push</c>) with its listen or dial
    /// address (and, over TLS, its certificate or CA flags) and then <paramref name="options"/>.
    /// </summary>
    public PeerProcess Start(Cat cat, string protocol, params string[] options)
    {
        string[] address = _side == Side.SpNetListens ? [cat.DialFlag, _url] : [cat.ListenFlag, _url];
        string[] tls = _carrier != Carrier.Tls ? []
            : _side == Side.SpNetListens ? ["--cacert", InteropFiles.CaPem]
            : ["--cert", InteropFiles.ServerPem, "--key", InteropFiles.ServerKey];
        PeerProcess peer = cat.Start([protocol, .. address, .. tls, .. options]);
        if (_side == Side.SpNetDials && !_dialing)
        {
            _dialing = true;
            _socket.Dial(_url);
        }
        return peer;
    }
}
