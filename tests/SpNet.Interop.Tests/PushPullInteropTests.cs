using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>PUSH/PULL over tcp, ipc and ws against nngcat and nanocat, and over tls+tcp and wss against nngcat, SpNet on either end of the connection.</summary>
public sealed class PushPullInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task SpNetPush_PeerPull(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string[] sent = Messages.Numbered("push", 3);
        await using var push = new PushSocket { SendTimeout = Messages.Timeout };
        var link = new Link(push, side, carrier);
        await using PeerProcess peer = link.Start(cat, "--pull", ["-Q", .. cat.Count(sent.Length)]);

        foreach (string text in sent)
        {
            await peer.GuardAsync(push.SendTextAsync(text), what: $"send {text}");
        }

        await peer.ExpectAllMessagesAsync(cat, sent);
    }

    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task PeerPush_SpNetPull(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        await using var pull = new PullSocket { ReceiveTimeout = Messages.Timeout };
        var link = new Link(pull, side, carrier);

        // One peer process per message (each sends its --data once and exits), so every message is distinct.
        foreach (string text in Messages.Numbered("peer-push", 3))
        {
            await using PeerProcess peer = link.Start(cat, "--push", "--data", text);
            await peer.ExpectReceiveAsync(pull, text);
            await peer.WaitForSuccessAsync();
        }
        Assert.False(pull.TryReceive(out Message? extra), $"unexpected extra message: {extra}");
    }
}
