namespace SpNet.Bench.Harness;

/// <summary>Allocation seen by the process around a measured loop (both sides run in this process).</summary>
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
