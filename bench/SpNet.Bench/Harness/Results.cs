namespace SpNet.Bench.Harness;

/// <summary>Managed allocation around a measured loop (summed over the sides of a case when they report it apart).</summary>
internal readonly record struct AllocationSample(long Bytes, int Gen0, long Messages)
{
    public double BytesPerMessage => Messages == 0 ? 0 : (double)Bytes / Messages;

    public double Gen0Per100k => Messages == 0 ? 0 : Gen0 * 100_000.0 / Messages;

    public static (long Bytes, int Gen0) Mark() => (GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0));

    public static AllocationSample Since((long Bytes, int Gen0) start, long messages) =>
        new(GC.GetTotalAllocatedBytes(precise: true) - start.Bytes, GC.CollectionCount(0) - start.Gen0, messages);
}

/// <summary>One throughput run: messages per second at the receiver.</summary>
internal sealed record ThroughputResult(int Size, int Count, TimeSpan Elapsed, AllocationSample Allocation)
{
    public double MessagesPerSecond => Count / Elapsed.TotalSeconds;

    /// <summary>Megabits per second as NNG's perf computes it (msg/s × 8 × size / 2^20).</summary>
    public double Megabits => MessagesPerSecond * 8 * Size / (1024 * 1024);
}

/// <summary>One ping-pong run: one-way latency (round trip ÷ 2, as NNG's perf) in microseconds.</summary>
internal sealed record LatencyResult(int Size, int Trips, double MeanMicroseconds, double P50Microseconds, double P99Microseconds, AllocationSample Allocation);

/// <summary>One PUB/SUB flood: what the publisher managed to send, what the subscriber got.</summary>
internal sealed record PubSubResult(int Size, int Sent, long Received, double SenderRate, double ReceiverRate, AllocationSample Allocation)
{
    public double LossPercent => Sent == 0 ? 0 : 100.0 * (Sent - Received) / Sent;
}

/// <summary>Mean latency of COUNT messages sent back to back (the benchmark essay's figure), in microseconds.</summary>
internal sealed record StreamLatencyResult(int Size, long Count, double MeanMicroseconds, double Seconds);

/// <summary>1 PUB → N SUB: what the publisher sent, what all subscribers together received, and how fast.</summary>
internal sealed record FanOutResult(int Subscribers, int Size, int Sent, long Delivered, double SenderRate, double DeliveredRate)
{
    public double LossPercent => 100.0 * (1 - (double)Delivered / ((long)Sent * Subscribers));
}

/// <summary>A SUB holding many topics: how long subscribing took, the flood it received, and (SpNet) the match cost alone.</summary>
internal sealed record SubscriptionResult(int Subscriptions, TimeSpan SubscribeTime, PubSubResult Flow, double? MatchNanoseconds);
