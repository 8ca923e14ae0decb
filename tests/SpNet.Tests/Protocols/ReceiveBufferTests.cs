using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class ReceiveBufferTests
{
    private static Task<PubSubPair> ConnectedAsync(int receiveBuffer, bool preferNew)
    {
        var sub = new SubSocket { ReceiveBufferSize = receiveBuffer, PreferNew = preferNew };
        sub.Subscribe("");
        return PubSubPair.ConnectAsync(sub);
    }

    [Theory]
    [InlineData(true, "m3", "m4")] // the newest
    [InlineData(false, "m0", "m1")] // the oldest
    public async Task Sub_keeps_the_messages_its_prefer_new_setting_names(bool preferNew, string first, string second)
    {
        await using PubSubPair pair = await ConnectedAsync(2, preferNew);
        var (pub, sub) = pair;
        Assert.Equal((object)preferNew, sub.GetOption(OptionNames.SubPreferNew));
        for (int i = 0; i < 5; i++)
        {
            await pub.SendTextAsync($"m{i}");
        }
        await Eventually.True(() => sub.Statistics.MessagesReceived == 5, "all five arrived");
        Assert.Equal(3, sub.Statistics.MessagesDropped);
        Assert.Equal(first, await sub.ReceiveTextAsync());
        Assert.Equal(second, await sub.ReceiveTextAsync());
        Assert.False(sub.TryReceive(out _));
    }

    [Fact]
    public async Task Pull_receive_buffer_bounds_what_is_taken_off_the_pipe_and_can_grow_while_connected()
    {
        await using var push = new PushSocket();
        await using var pull = new PullSocket { ReceiveBufferSize = 2 };
        await push.ConnectTcpAsync(pull);
        for (int i = 0; i < 6; i++)
        {
            await push.SendTextAsync("x");
        }
        // Two queued at the PULL, a third read off the wire and waiting for room; the rest stay in TCP buffers.
        await Eventually.True(() => pull.Statistics.MessagesReceived >= 3, "three read");
        Assert.Equal(3, pull.Statistics.MessagesReceived);
        pull.ReceiveBufferSize = 8;
        await Eventually.True(() => pull.Statistics.MessagesReceived == 6, "the rest taken once the queue grew");
        for (int i = 0; i < 6; i++)
        {
            // The read loop counts a message just before it queues it: the last one may still be on its way in.
            Assert.Equal("x", await pull.ReceiveTextAsync());
        }
        Assert.Equal(0, pull.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task A_full_pull_queue_holds_the_pipe_until_the_app_reads()
    {
        await using var push = new PushSocket();
        await using var pull = new PullSocket { ReceiveBufferSize = 0 };
        Assert.Equal(0, pull.ReceiveBufferSize);
        pull.Dial(push.ListenTcp());
        await push.SendTextAsync("a");
        await push.SendTextAsync("b");
        await Eventually.True(() => pull.Statistics.MessagesReceived == 2, "both read off the wire");
        Assert.Equal("a", await pull.ReceiveTextAsync());
        Assert.Equal("b", await pull.ReceiveTextAsync());
    }

    [Fact]
    public void Receive_buffer_range_is_0_to_8192()
    {
        using var pull = new PullSocket();
        Assert.Equal(128, pull.ReceiveBufferSize);
        pull.ReceiveBufferSize = 8192;
        Assert.Throws<ArgumentOutOfRangeException>(() => pull.ReceiveBufferSize = 8193);
        Assert.Throws<ArgumentOutOfRangeException>(() => pull.ReceiveBufferSize = -1);
    }
}
