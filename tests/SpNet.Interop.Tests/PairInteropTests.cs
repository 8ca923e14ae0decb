using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>PAIR0 over tcp, ipc and ws against nngcat and nanocat, and over tls+tcp and wss against nngcat, SpNet on either end, messages both ways on one connection.</summary>
public sealed class PairInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task Pair_ExchangesBothWays(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string fromPeer = $"hello-from-{cat.Name}";
        string[] sent = Messages.Numbered("pair", 3);
        await using var pair = new PairSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        var link = new Link(pair, side, carrier);
        // --data without --interval: the peer sends once and then prints whatever arrives until it is killed.
        // (No --count: nngcat's pair with --count and --data fails with "Cannot set recv timeout".)
        await using PeerProcess peer = link.Start(cat, cat.PairFlag, "--data", fromPeer, "-Q");

        foreach (string text in sent)
        {
            await peer.GuardAsync(pair.SendTextAsync(text), what: $"send {text}");
        }
        await peer.ExpectReceiveAsync(pair, fromPeer);

        await peer.ExpectMessagesAsync(sent);
        Assert.False(pair.TryReceive(out Message? extra), $"the peer sent once, yet SpNet has another message: {extra}");
    }
}
