using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// PAIR1 over tcp and ws against nngcat (nanocat has no pair1) and BUS over tcp and ws against nanocat and nngcat (nngcat 1.5.2 accepts
/// <c>--bus0</c>, and <c>--bus</c> as its prefix, though its help omits them), SpNet on either end, both directions.
/// </summary>
public sealed class Pair1BusInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    public async Task Pair1_ExchangesBothWays(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        await using var pair = new Pair1Socket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        await ExchangeAsync(cat, pair, side, "--pair1", repeats: false, carrier);
    }

    [Theory]
    [PeerMatrix(Peers.NanoCat)]
    [PeerMatrix(Peers.NngCat)]
    public async Task Bus_ExchangesBothWays(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        await using var bus = new BusSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        // BUS drops what it sends while it has no peer, so the peer repeats its message every second.
        await ExchangeAsync(cat, bus, side, cat.IsNanocat ? "--bus" : "--bus0", repeats: true, carrier);
    }

    private static async Task ExchangeAsync(Cat cat, Socket socket, Side side, string protocolFlag, bool repeats, Carrier carrier)
    {
        string fromPeer = $"hello-from-{cat.Name}";
        string[] sent = Messages.Numbered(protocolFlag.TrimStart('-'), 3);
        var link = new Link(socket, side, carrier);
        // --data without --interval: the peer sends once, then prints whatever arrives until it is killed.
        string[] options = repeats ? ["--data", fromPeer, "-Q", "--interval", "1"] : ["--data", fromPeer, "-Q"];
        await using PeerProcess peer = link.Start(cat, protocolFlag, options);

        // The peer's message is also the sign that the connection exists and our sends will reach it.
        await peer.ExpectReceiveAsync(socket, fromPeer);
        foreach (string text in sent)
        {
            await peer.GuardAsync(socket.SendTextAsync(text), what: $"send {text}");
        }
        await peer.ExpectMessagesAsync(sent);
        if (!repeats)
        {
            Assert.False(socket.TryReceive(out Message? extra), $"the peer sent once, yet SpNet has another message: {extra}");
        }
    }
}
