using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>PUB/SUB over tcp, ipc and ws against nngcat and nanocat, and over tls+tcp and wss against nngcat, SpNet on either end of the connection and in either role.</summary>
public sealed class PubSubInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task SpNetPub_PeerSub_FiltersByTopic(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string[] wanted = Messages.Numbered("news", 3);
        await using var pub = new PubSocket();
        var link = new Link(pub, side, carrier);
        // Subscriptions stay local to the SUB: SpNet publishes everything, the peer must print only "news…".
        await using PeerProcess peer = link.Start(cat, "--sub", ["--subscribe", "news", "-Q", .. cat.Count(wanted.Length)]);

        // PUB drops what it publishes before a subscriber is connected: wait for the pipe first.
        await peer.GuardAsync(Waiting.WaitUntilAsync(() => pub.Statistics.CurrentPipes >= 1, Messages.Timeout, "SpNet PUB has a pipe"),
            what: "connection");
        foreach (string text in wanted)
        {
            await pub.SendTextAsync($"sports-{text}");
            await pub.SendTextAsync(text);
        }

        await peer.ExpectAllMessagesAsync(cat, wanted);
    }

    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task PeerPub_SpNetSub(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string published = $"weather-from-{cat.Name}";
        await using var sub = new SubSocket { ReceiveTimeout = Messages.Timeout };
        sub.Subscribe("weather");
        var link = new Link(sub, side, carrier);
        // The peer publishes every second (whole seconds only) until killed: what it sends before SpNet is
        // connected is lost, so wait for three arrivals rather than counting sends.
        await using PeerProcess peer = link.Start(cat, "--pub", "--data", published, "--interval", "1");

        for (int i = 0; i < 3; i++)
        {
            await peer.ExpectReceiveAsync(sub, published);
        }
    }
}
