using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class SubContextTests
{
    private static Task<PubSubPair> ConnectAsync(int receiveBuffer = 128) => PubSubPair.ConnectAsync(new SubSocket { ReceiveBufferSize = receiveBuffer });

    private static List<string> Drain(SocketContext context)
    {
        var got = new List<string>();
        while (context.TryReceive(out Message? m))
        {
            got.Add(m.ToString());
            m.Dispose();
        }
        return got;
    }

    private static async Task<string> ReceiveTextAsync(SocketContext context)
    {
        using Message m = await Eventually.Within(context.ReceiveAsync(), "a message on a SUB context");
        return m.ToString();
    }

    [Fact]
    public async Task Contexts_with_different_subscriptions_each_get_exactly_their_matching_messages()
    {
        await using PubSubPair pair = await ConnectAsync();
        var (pub, sub) = pair;
        using SubContext a = sub.OpenContext();
        using SubContext b = sub.OpenContext();
        a.Subscribe("a");
        b.Subscribe("b");
        b.Subscribe("ab");
        sub.Subscribe("c"); // the socket's own (default) context

        foreach (string text in new[] { "a1", "b1", "c1", "ab", "x1", "b2" })
        {
            await pub.SendTextAsync(text);
        }
        await Eventually.True(() => sub.Statistics.MessagesReceived == 6, "all six read off the pipe");

        Assert.Equal(["a1", "ab"], Drain(a));
        Assert.Equal(["b1", "ab", "b2"], Drain(b)); // two matching prefixes still give one copy
        Assert.Equal("c1", await sub.ReceiveTextAsync());
        Assert.False(sub.TryReceive(out _));
        Assert.Equal(0, sub.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Unsubscribing_one_context_leaves_the_others_subscribed()
    {
        await using PubSubPair pair = await ConnectAsync();
        var (pub, sub) = pair;
        using SubContext a = sub.OpenContext();
        using SubContext b = sub.OpenContext();
        a.Subscribe("t");
        b.Subscribe("t");
        sub.Subscribe("t");
        a.Unsubscribe("t");
        var missing = Assert.Throws<SpNetException>(() => a.Unsubscribe("t"));
        Assert.Equal(SpError.NoEntry, missing.Error);

        await pub.SendTextAsync("t1");
        Assert.Equal("t1", await ReceiveTextAsync(b));
        Assert.Equal("t1", await sub.ReceiveTextAsync());
        Assert.Empty(Drain(a));
        Assert.Equal(1, sub.SubscriptionCount); // the socket's own, untouched by the context's unsubscribe
    }

    [Fact]
    public async Task A_slow_context_drops_its_oldest_and_counts_them_while_another_keeps_up()
    {
        await using PubSubPair pair = await ConnectAsync(receiveBuffer: 2);
        var (pub, sub) = pair;
        using SubContext slow = sub.OpenContext();
        using SubContext fast = sub.OpenContext();
        slow.Subscribe("");
        fast.Subscribe("");

        for (int i = 0; i < 10; i++)
        {
            await pub.SendTextAsync($"m{i}");
            Assert.Equal($"m{i}", await ReceiveTextAsync(fast)); // never held up by the full slow context
        }
        Assert.Equal(8, sub.Statistics.MessagesDropped);
        Assert.Equal(["m8", "m9"], Drain(slow)); // prefer-new: the newest kept
    }

    [Fact]
    public async Task A_context_without_prefer_new_keeps_its_oldest()
    {
        await using PubSubPair pair = await ConnectAsync(receiveBuffer: 2);
        var (pub, sub) = pair;
        using SubContext context = sub.OpenContext();
        context.Subscribe("");
        context.PreferNew = false;
        Assert.True(sub.PreferNew);
        for (int i = 0; i < 4; i++)
        {
            await pub.SendTextAsync($"m{i}");
        }
        await Eventually.True(() => sub.Statistics.MessagesReceived == 4, "all four read");
        Assert.Equal(["m0", "m1"], Drain(context));
        Assert.Equal(2, sub.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Closing_a_context_fails_its_receive_and_leaves_the_others_working()
    {
        await using PubSubPair pair = await ConnectAsync();
        var (pub, sub) = pair;
        SubContext closing = sub.OpenContext();
        using SubContext other = sub.OpenContext();
        closing.Subscribe("");
        other.Subscribe("");
        closing.ReceiveTimeout = Timeout.InfiniteTimeSpan;
        ValueTask<Message> pending = closing.ReceiveAsync();
        closing.Dispose();
        var closed = await Assert.ThrowsAsync<SpNetException>(async () => await Eventually.Within(pending, "the closed context's receive"));
        Assert.Equal(SpError.Closed, closed.Error);

        await pub.SendTextAsync("after");
        Assert.Equal("after", await ReceiveTextAsync(other));
        var send = Assert.Throws<SpNetException>(() => other.Send("x"u8));
        Assert.Equal(SpError.NotSupported, send.Error);
    }

    [Fact]
    public async Task Raw_sub_has_no_contexts()
    {
        await using var sub = SubSocket.CreateRaw();
        var ex = Assert.Throws<SpNetException>(() => sub.OpenContext());
        Assert.Equal(SpError.NotSupported, ex.Error);
    }
}
