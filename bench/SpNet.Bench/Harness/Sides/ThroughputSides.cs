using System.Diagnostics;

namespace SpNet.Bench.Harness.Sides;

/// <summary>What a throughput case sends: NNG perf's exchange, with optional warm-up messages before it.</summary>
/// <param name="WarmUp">Messages sent before the empty start message (not timed; perf sends none).</param>
/// <param name="TimeoutMs">Longest wait for any one message.</param>
internal sealed record ThroughputPlan(Library Library, Pattern Pattern, int Size, int Count, int WarmUp, int TimeoutMs, int QueueDepth = 128);

/// <summary>
/// The two sides of a throughput case, as NNG 1.5.2's perf runs them (local_thr / remote_thr): the sender dials, sends
/// one empty start message and COUNT+1 messages of SIZE; the receiver listens, times COUNT messages from the start
/// message on and, where the pattern has a way back, answers with an empty completion message. Anything before the
/// empty message is warm-up and not counted, so a real perf peer (which sends none) is met the same way.
/// </summary>
internal static class ThroughputSides
{
    /// <summary>local_thr: reports <c>received</c>, <c>seconds</c>, <c>bytes</c> and <c>gen0</c> (allocation while timing).</summary>
    public static async Task Receive(SideLink link, ThroughputPlan plan, string url)
    {
        using BenchSocket socket = BenchSocket.Open(plan.Library, Patterns.ThroughputReceiver(plan.Pattern));
        socket.SetQueueDepth(plan.QueueDepth);
        socket.SetReceiveTimeout(plan.TimeoutMs);
        if (plan.Pattern == Pattern.Pub)
        {
            socket.Subscribe([]);
        }
        link.Ready(socket.Listen(url));
        byte[] buffer = new byte[Math.Max(plan.Size, 1)];
        while (await socket.ReceiveAsync(buffer) != 0)
        {
            // warm-up, until the empty start message
        }
        if (plan.Pattern == Pattern.Pub)
        {
            socket.SetReceiveTimeout(Math.Min(plan.TimeoutMs, 2000)); // silence this long ends a lossy run
        }
        var mark = AllocationSample.Mark();
        long start = Stopwatch.GetTimestamp();
        long last = start;
        int received = 0;
        try
        {
            for (; received < plan.Count; received++)
            {
                int length = await socket.ReceiveAsync(buffer);
                if (length != plan.Size)
                {
                    throw new BenchException($"wrong message size: {length} != {plan.Size}");
                }
                last = Stopwatch.GetTimestamp();
            }
        }
        catch (BenchTimeoutException) when (plan.Pattern == Pattern.Pub && received > 0)
        {
            // PUB drops when a queue is full: report what arrived.
        }
        AllocationSample allocation = AllocationSample.Since(mark, received);
        link.Report("received", received);
        link.Report("seconds", Stopwatch.GetElapsedTime(start, last).TotalSeconds);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
        link.Signal("received");
        if (Patterns.IsBidirectional(plan.Pattern))
        {
            socket.SetSendTimeout(1000);
            try
            {
                socket.Send([]);
            }
            catch (BenchTimeoutException)
            {
                // the sender is gone already; perf ignores this too
            }
            link.WaitFor("finished"); // the sender has the completion message: closing cannot cut it off
        }
    }

    /// <summary>remote_thr: reports <c>bytes</c> and <c>gen0</c> (allocation from the start message on).</summary>
    public static async Task Send(SideLink link, ThroughputPlan plan, string url)
    {
        using BenchSocket socket = BenchSocket.Open(plan.Library, Patterns.ThroughputSender(plan.Pattern));
        socket.SetQueueDepth(plan.QueueDepth);
        socket.SetReceiveTimeout(5000);
        socket.SetSendTimeout(plan.TimeoutMs);
        socket.Dial(url);
        byte[] body = new byte[plan.Size];
        for (int i = 0; i < plan.WarmUp; i++)
        {
            await socket.SendAsync(body);
        }
        var mark = AllocationSample.Mark();
        await socket.SendAsync(ReadOnlyMemory<byte>.Empty);
        int count = plan.Count + 1; // perf sends one message more than asked
        for (int i = 0; i < count; i++)
        {
            await socket.SendAsync(body);
        }
        AllocationSample allocation = AllocationSample.Since(mark, count);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
        if (Patterns.IsBidirectional(plan.Pattern))
        {
            try
            {
                _ = socket.Receive(new byte[16]); // the completion message
            }
            catch (BenchTimeoutException)
            {
                // perf ignores a missing completion message too
            }
            link.Signal("finished");
        }
        else
        {
            link.WaitFor("received"); // no way back: keep the socket (and its queue) until the receiver has everything
        }
    }
}
