using SpNet.TestKit;

namespace SpNet.Tests.Api;

public class SocketTests
{
    [Fact]
    public async Task Close_fails_a_pending_receive_with_Closed()
    {
        var pull = new PullSocket();
        Task<Message> pending = pull.ReceiveAsync().AsTask();
        Assert.False(pending.IsCompleted);
        pull.Close();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => pending.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(SpError.Closed, ex.Error);
        Assert.Equal(SpError.Closed, (await Assert.ThrowsAsync<SpNetException>(() => pull.ReceiveAsync().AsTask())).Error);
        pull.Close(); // idempotent
        await pull.DisposeAsync();
    }

    [Fact]
    public async Task Close_fails_a_pending_send_with_Closed()
    {
        var push = new PushSocket();
        Task pending = push.SendAsync("x"u8.ToArray()).AsTask();
        Assert.False(pending.IsCompleted);
        push.Close();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => pending.WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(SpError.Closed, ex.Error);
        Assert.Equal(SpError.Closed, Assert.Throws<SpNetException>(() => push.Listen(Addresses.TcpLoopback)).Error);
        await push.DisposeAsync();
    }

    [Fact]
    public async Task ReceiveTimeout_expires_with_TimedOut()
    {
        await using var pull = new PullSocket { ReceiveTimeout = TimeSpan.FromMilliseconds(100) };
        var ex = await Assert.ThrowsAsync<SpNetException>(() => pull.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(SpError.TimedOut, ex.Error);
    }

    [Fact]
    public async Task ReceiveAllAsync_ends_when_the_socket_closes()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        await using var push = new PushSocket();
        await push.DialAsync(url);
        await push.SendTextAsync("one");
        var received = new List<string>();
        Task consume = Task.Run(async () =>
        {
            await foreach (Message message in pull.ReceiveAllAsync())
            {
                using (message)
                {
                    received.Add(message.ToString());
                    pull.Close();
                }
            }
        });
        await Eventually.Within(consume, "ReceiveAllAsync to end after Close");
        Assert.Equal(["one"], received);
    }

    [Fact]
    public async Task ReceiveAllAsync_ends_when_ReceiveTimeout_passes_with_no_message()
    {
        await using var pull = new PullSocket { ReceiveTimeout = TimeSpan.FromMilliseconds(100) };
        int count = 0;
        Task consume = Task.Run(async () =>
        {
            await foreach (Message message in pull.ReceiveAllAsync())
            {
                message.Dispose();
                count++;
            }
        });
        await Eventually.Within(consume, "ReceiveAllAsync to end after the receive timeout");
        Assert.Equal(0, count);
        Assert.False(pull.IsClosed);
    }

    [Fact]
    public async Task Dispose_lingers_so_queued_messages_are_delivered()
    {
        await using var pull = new PullSocket();
        var push = new PushSocket();
        await pull.ConnectTcpAsync(push);
        for (int i = 0; i < 50; i++)
        {
            await push.SendTextAsync($"m{i}");
        }
        await Eventually.Within(push.DisposeAsync(), "dispose with linger");
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal($"m{i}", await pull.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Dispose_lingers_for_a_message_the_write_loop_is_still_writing()
    {
        // The queue is empty, but the write loop holds a large message that TCP has not fully accepted yet.
        await using var pull = new PullSocket { MaxReceiveSize = 0 };
        var push = new PushSocket();
        await pull.ConnectTcpAsync(push);
        byte[] big = new byte[16 * 1024 * 1024];
        big[^1] = 0x5A;
        await Eventually.Within(push.SendAsync(big), "queue the big message");
        await Eventually.True(() => push.Statistics.MessagesSent == 0, "the write loop has it"); // counted only once fully written
        Task disposing = push.DisposeAsync().AsTask();
        using Message m = await Eventually.Within(pull.ReceiveAsync(), "the big message survives dispose");
        Assert.Equal(big.Length, m.BodyLength);
        Assert.Equal(0x5A, m.Body[^1]);
        await Eventually.Within(disposing, "dispose finishes");
    }

    [Fact]
    public async Task Pipe_events_report_add_and_remove()
    {
        await using var pull = new PullSocket();
        int added = 0, removed = 0;
        pull.PipeAdded += (_, _) => Interlocked.Increment(ref added);
        pull.PipeRemoved += (_, _) => Interlocked.Increment(ref removed);
        string url = pull.ListenTcp();
        await using (var push = new PushSocket())
        {
            push.Dial(url);
            await Eventually.True(() => Volatile.Read(ref added) == 1, "PipeAdded raised");
        }
        await Eventually.True(() => Volatile.Read(ref removed) == 1, "PipeRemoved raised");
        Assert.Equal(1, pull.Statistics.PipesOpened);
        Assert.Equal(1, pull.Statistics.PipesClosed);
    }

    [Fact]
    public async Task Resent_request_over_inproc_is_a_clean_copy()
    {
        // Over inproc the message object itself travels; REQ keeps a reference for resending, so the transport must
        // copy rather than let the receiver mutate (or dispose) what REQ will send again.
        await using var rep = new RepSocket();
        await using var req = new ReqSocket { ResendTime = TimeSpan.FromMilliseconds(100) };
        req.Dial(rep.Listen(Addresses.Inproc("resend")).Url);
        await req.SendTextAsync("same bytes");
        for (int i = 0; i < 3; i++)
        {
            using Message m = await Eventually.Within(rep.ReceiveAsync(), $"copy {i}");
            Assert.Equal("same bytes", m.ToString());
            m.Body.Fill((byte)'!'); // scribble on what we received
        }
        await rep.SendTextAsync("finally");
        Assert.Equal("finally", await req.ReceiveTextAsync());
    }
}
