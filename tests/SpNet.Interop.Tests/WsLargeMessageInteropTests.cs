using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Messages larger than one 64 KiB frame over ws, both directions, against nngcat and nanocat: the peer reassembles
/// SpNet's continuation frames and SpNet reassembles the peer's (NNG's listener splits at 64 KiB, its dialer at 1 MiB).
/// </summary>
public sealed class WsLargeMessageInteropTests
{
    /// <summary>Over two frames of ours, and one frame of NNG's dialer (its limit is 1 MiB).</summary>
    private const int Size = 150_000;

    private static string Text(char fill) => string.Create(Size, fill, static (span, c) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = i % 100 == 0 ? '|' : c;
        }
    });

    [Theory]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public async Task SpNetPush_LargeMessage_PeerPull(string peerName, Side side)
    {
        Cat cat = Cat.For(peerName);
        string text = Text('s');
        await using var push = new PushSocket { SendTimeout = Messages.Timeout };
        var link = new Link(push, side, Carrier.Ws);
        await using PeerProcess peer = link.Start(cat, "--pull", ["-Q", .. cat.Count(1)]);
        await peer.GuardAsync(push.SendTextAsync(text), what: "send the large message");
        await peer.ExpectMessagesAsync([text]);
    }

    [Theory]
    [PeerSides(Peers.NngCat)]
    [PeerSides(Peers.NanoCat)]
    public async Task PeerPush_LargeMessage_SpNetPull(string peerName, Side side)
    {
        Cat cat = Cat.For(peerName);
        string text = Text('p');
        await using var pull = new PullSocket { ReceiveTimeout = Messages.Timeout };
        var link = new Link(pull, side, Carrier.Ws);
        string file = Path.GetTempFileName(); // too long for one argument (Linux caps one at 128 KiB): --file
        try
        {
            await File.WriteAllTextAsync(file, text);
            await using PeerProcess peer = link.Start(cat, "--push", "--file", file);
            await peer.ExpectReceiveAsync(pull, text);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
