using SpNet.Protocols.Routing;

namespace SpNet.Tests.Protocols.Queues;

public class ReceiveQueueTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_waiting_receiver_gets_the_next_message_and_its_waiter_is_reused()
    {
        var queue = new ReceiveQueue(4);
        for (int i = 0; i < 3; i++)
        {
            ValueTask<Message> pending = queue.DequeueAsync(CancellationToken.None);
            Assert.False(pending.IsCompleted);
            await queue.EnqueueAsync(Message.Create($"m{i}"));
            using Message m = await pending.AsTask().WaitAsync(Limit);
            Assert.Equal($"m{i}", m.ToString());
        }
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Waiters_are_served_in_order()
    {
        var queue = new ReceiveQueue(4);
        Task<Message> first = queue.DequeueAsync(CancellationToken.None).AsTask();
        Task<Message> second = queue.DequeueAsync(CancellationToken.None).AsTask();
        await queue.EnqueueAsync(Message.Create("a"));
        await queue.EnqueueAsync(Message.Create("b"));
        Assert.Equal("a", (await first.WaitAsync(Limit)).ToString());
        Assert.Equal("b", (await second.WaitAsync(Limit)).ToString());
    }

    [Fact]
    public async Task A_canceled_waiter_leaves_the_queue_and_the_next_receive_still_works()
    {
        var queue = new ReceiveQueue(4);
        using var cts = new CancellationTokenSource();
        ValueTask<Message> pending = queue.DequeueAsync(cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.AsTask().WaitAsync(Limit));
        await queue.EnqueueAsync(Message.Create("x"));
        using Message m = await queue.DequeueAsync(CancellationToken.None).AsTask().WaitAsync(Limit);
        Assert.Equal("x", m.ToString());
    }

    [Fact]
    public async Task An_already_canceled_token_fails_at_once()
    {
        var queue = new ReceiveQueue(4);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.DequeueAsync(cts.Token).AsTask().WaitAsync(Limit));
        await queue.EnqueueAsync(Message.Create("y"));
        Assert.True(queue.TryDequeue(out Message? m));
        Assert.Equal("y", m!.ToString());
    }

    [Fact]
    public async Task Close_fails_waiting_receivers()
    {
        var queue = new ReceiveQueue(4);
        Task<Message> pending = queue.DequeueAsync(CancellationToken.None).AsTask();
        queue.Close();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => pending.WaitAsync(Limit));
        Assert.Equal(SpError.Closed, ex.Error);
    }

    [Fact]
    public async Task Many_producers_and_consumers_lose_nothing()
    {
        var queue = new ReceiveQueue(8);
        const int PerProducer = 5_000;
        int received = 0;
        Task[] consumers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    using Message m = await queue.DequeueAsync(cts.Token);
                    Interlocked.Increment(ref received);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        })).ToArray();
        Task[] producers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < PerProducer; i++)
            {
                await queue.EnqueueAsync(Message.Create(4));
            }
        })).ToArray();
        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(consumers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2 * PerProducer, received);
    }
}
