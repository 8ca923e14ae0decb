using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class SubTests
{
    private static async Task PublishAsync(PubSocket pub, params string[] messages)
    {
        foreach (string m in messages)
        {
            await pub.SendTextAsync(m);
        }
    }

    /// <summary>
    /// Waits until the SUB has read <paramref name="count"/> messages off its pipes (matched or not) and
    /// <paramref name="expected"/> of them have passed the filter, then returns what passed. The read loop counts a
    /// message before the protocol queues it, so the count alone can run ahead of the queue by the last message;
    /// one pipe keeps order, so once the expected ones are in, any unwanted earlier one would be in too.
    /// </summary>
    private static async Task<List<string>> DrainAfterAsync(SubSocket sub, long count, int expected)
    {
        await Eventually.True(() => sub.Statistics.MessagesReceived >= count, $"SUB read {count} messages ({sub.Statistics})");
        var got = new List<string>();
        await Eventually.True(
            () =>
            {
                while (sub.TryReceive(out Message? m))
                {
                    got.Add(m.ToString());
                    m.Dispose();
                }
                return got.Count >= expected;
            },
            $"{expected} message(s) passed the filter (so far: {string.Join(", ", got)})");
        return got;
    }

    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task Prefix_filter_keeps_only_matching_messages(string transport)
    {
        await using PubSubPair pair = await PubSubPair.ConnectAsync(new SubSocket(), transport);
        var (pub, sub) = pair;
        sub.Subscribe("a");
        sub.Subscribe("bc");
        await PublishAsync(pub, "apple", "banana", "bcd", "xyz", "a", "", "b");
        Assert.Equal(["apple", "bcd", "a"], await DrainAfterAsync(sub, 7, 3));
    }

    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task Empty_subscription_receives_everything(string transport)
    {
        await using PubSubPair pair = await PubSubPair.ConnectAsync(new SubSocket(), transport);
        var (pub, sub) = pair;
        sub.Subscribe("");
        await PublishAsync(pub, "x", "", "topic|data");
        Assert.Equal(["x", "", "topic|data"], await DrainAfterAsync(sub, 3, 3));
    }

    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task No_subscription_receives_nothing(string transport)
    {
        await using PubSubPair pair = await PubSubPair.ConnectAsync(new SubSocket(), transport);
        var (pub, sub) = pair;
        Assert.Equal(0, sub.SubscriptionCount);
        await PublishAsync(pub, "x", "", "y");
        Assert.Empty(await DrainAfterAsync(sub, 3, 0));
        Assert.Equal(0, sub.Statistics.MessagesDropped); // a filter miss is not a drop
    }

    [Fact]
    public async Task Unsubscribe_takes_effect_at_once()
    {
        await using PubSubPair pair = await PubSubPair.ConnectAsync(new SubSocket(), "tcp");
        var (pub, sub) = pair;
        sub.Subscribe("news");
        sub.Subscribe("sport");
        await PublishAsync(pub, "news1", "sport1");
        Assert.Equal(["news1", "sport1"], await DrainAfterAsync(sub, 2, 2));
        sub.Unsubscribe("news");
        await PublishAsync(pub, "news2", "sport2");
        Assert.Equal(["sport2"], await DrainAfterAsync(sub, 4, 1));
        sub.Subscribe("news");
        await PublishAsync(pub, "news3");
        Assert.Equal(["news3"], await DrainAfterAsync(sub, 5, 1));
        var ex = Assert.Throws<SpNetException>(() => sub.Unsubscribe("weather"));
        Assert.Equal(SpError.NoEntry, ex.Error);
    }

    [Fact]
    public async Task Pub_sends_the_topic_as_the_start_of_the_body_with_no_header()
    {
        await using var pub = new PubSocket();
        string url = pub.ListenTcp();
        using (RawSpPeer peer = await pub.ConnectRawPeerAsync(url, 0x21))
        {
            await pub.WaitForPipeCountAsync(1);
            await pub.SendTextAsync("topic|data");
            // wire-protocol.md §8 vector 12.
            Assert.Equal(Convert.FromHexString("000000000000000a746f7069637c64617461"), await peer.ReceiveExactlyAsync(18));
        }
    }

    [Fact]
    public async Task Sub_cannot_send_and_pub_cannot_receive()
    {
        await using var sub = new SubSocket();
        await using var pub = new PubSocket();
        Assert.Equal(SpError.NotSupported, (await Assert.ThrowsAsync<SpNetException>(() => sub.SendAsync("x"u8.ToArray()).AsTask())).Error);
        Assert.Equal(SpError.NotSupported, (await Assert.ThrowsAsync<SpNetException>(() => pub.ReceiveAsync().AsTask())).Error);
    }

    [Fact]
    public async Task A_subscriber_that_sends_is_disconnected()
    {
        await using var pub = new PubSocket();
        using RawSpPeer peer = await pub.ConnectRawPeerAsync(0x21);
        await peer.SendFrameAsync("subscribe me"u8);
        Assert.True(await peer.WaitForRemoteCloseAsync(), "PUB kept a SUB that sent");
        await Eventually.True(() => pub.Statistics.ProtocolErrors == 1, "protocol error counted");
    }
}
