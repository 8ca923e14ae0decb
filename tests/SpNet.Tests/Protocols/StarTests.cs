using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class StarTests
{
    private static readonly byte[] s_mangosHi = [0x00, 0x00, 0x00, 0x00, 0x68, 0x69]; // wire-protocol.md §8 vector 11

    public static TheoryData<string> Topologies => new() { "chain", "hub" };

    [Theory]
    [MemberData(nameof(Topologies))]
    public async Task Five_members_each_message_seen_exactly_once_by_every_other_member(string topology)
    {
        const int n = 5;
        var members = Enumerable.Range(0, n).Select(_ => new StarSocket()).ToArray();
        await using var disposeAll = Owned.Each(members);
        string[] urls = members.Select(m => m.ListenTcp()).ToArray();
        int[] degree = new int[n];
        for (int i = 1; i < n; i++)
        {
            int to = topology == "chain" ? i - 1 : 0; // chain 0-1-2-3-4, or hub 0 with spokes 1..4
            members[i].Dial(urls[to]);
            degree[i]++;
            degree[to]++;
        }
        for (int i = 0; i < n; i++)
        {
            await members[i].WaitForPipeCountAsync(degree[i]);
        }
        await Broadcast.EachHearsEveryOtherOnceAsync(members);
        // A tree carries each message over each link once: n messages × (n − 1) links receipts in all.
        Assert.Equal(n * (n - 1), members.Sum(m => m.Statistics.MessagesReceived));
        Assert.All(members, m => Assert.False(m.TryReceive(out _), "a member saw a message twice"));
    }

    [Fact]
    public async Task A_received_message_is_forwarded_with_hops_plus_one_and_given_to_the_app()
    {
        await using var star = new StarSocket();
        string url = star.ListenTcp();
        var (from, header) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x640);
        using var _ = from;
        Assert.Equal(new byte[] { 0x00, 0x53, 0x50, 0x00, 0x06, 0x40, 0x00, 0x00 }, header); // §8 vector 3
        RawSpPeer to = await star.ConnectRawPeerAsync(url, 0x640);
        using var __ = to;
        await star.WaitForPipeCountAsync(2);

        await from.SendFrameAsync(s_mangosHi);
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x68, 0x69 }, await to.ReceiveFrameAsync());
        using Message m = await Eventually.Within(star.ReceiveAsync(), "star delivery");
        Assert.Equal("hi", m.ToString());
        Assert.Equal(0, m.HeaderLength);

        // A cooked send: hops 0 to every pipe, the §8 vector 11 bytes.
        await star.SendTextAsync("hi");
        Assert.Equal(s_mangosHi, await from.ReceiveFrameAsync());
        Assert.Equal(s_mangosHi, await to.ReceiveFrameAsync());
    }

    [Fact]
    public async Task Short_malformed_and_expired_messages_are_dropped_and_counted()
    {
        await using var star = new StarSocket { MaxTtl = 3 };
        using RawSpPeer peer = await star.ConnectRawPeerAsync(0x640);
        await peer.SendFrameAsync([0, 0, 0]);                    // < 4 bytes
        await peer.SendFrameAsync([0, 1, 0, 0, (byte)'x']);       // top bytes not zero
        await peer.SendFrameAsync([0, 0, 0, 3, (byte)'x']);       // hops >= TTL
        await peer.SendFrameAsync([0, 0, 0, 2, (byte)'o', (byte)'k']);
        Assert.Equal("ok", await star.ReceiveTextAsync());
        Assert.Equal(3, star.Statistics.MessagesDropped);
        Assert.Equal(1, star.Statistics.CurrentPipes); // mangos drops, never disconnects
    }

    [Fact]
    public async Task Raw_star_shows_the_raised_hop_count_and_sends_its_header_unchanged()
    {
        await using var raw = StarSocket.CreateRaw();
        Assert.True(raw.IsRaw);
        using RawSpPeer peer = await raw.ConnectRawPeerAsync(0x640);
        await peer.SendFrameAsync(s_mangosHi);
        using Message m = await Eventually.Within(raw.ReceiveAsync(), "raw star delivery");
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, m.Header.ToArray());
        Assert.Equal("hi", m.ToString());

        Message out1 = Message.Create("hi");
        out1.AppendHeaderUInt32(5);
        await Eventually.Within(raw.SendAsync(out1), "raw send");
        Assert.Equal(new byte[] { 0, 0, 0, 5, 0x68, 0x69 }, await peer.ReceiveFrameAsync());

        // Without an exact 4-byte header: dropped silently (counted), as mangos' xstar.
        Assert.True(raw.TrySend("no header"u8));
        Assert.Equal(1, raw.Statistics.MessagesDropped);
    }
}
