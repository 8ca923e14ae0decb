using System.Diagnostics;

namespace SpNet.Bench.Harness.Sides;

/// <summary>What a ping-pong case does: <paramref name="WarmUp"/> untimed round trips, then <paramref name="Trips"/> timed ones.</summary>
internal sealed record LatencyPlan(Library Library, Pattern Pattern, int Size, int Trips, int WarmUp, int TimeoutMs);

/// <summary>
/// The two sides of a latency case, as NNG's perf (local_lat echoes, remote_lat dials, pauses 100 ms and times round
/// trips; one-way latency = round trip ÷ 2). The pinging side also records every trip for percentiles.
/// </summary>
internal static class LatencySides
{
    /// <summary>local_lat: echoes every message; reports <c>bytes</c> and <c>gen0</c> over the timed trips.</summary>
    public static async Task Echo(SideLink link, LatencyPlan plan, string url)
    {
        using BenchSocket socket = BenchSocket.Open(plan.Library, Patterns.LatencyServer(plan.Pattern));
        socket.SetReceiveTimeout(plan.TimeoutMs);
        link.Ready(socket.Listen(url));
        byte[] buffer = new byte[Math.Max(plan.Size, 1)];
        (long Bytes, int Gen0) mark = default;
        for (int i = 0; i < plan.WarmUp + plan.Trips; i++)
        {
            if (i == plan.WarmUp)
            {
                mark = AllocationSample.Mark();
            }
            int length = await socket.ReceiveAsync(buffer);
            if (length != plan.Size)
            {
                throw new BenchException($"wrong message size: {length} != {plan.Size}");
            }
            await socket.SendAsync(buffer.AsMemory(0, length));
        }
        AllocationSample allocation = AllocationSample.Since(mark, plan.Trips);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
        link.WaitFor("finished"); // the last reply is in before this socket closes
    }

    /// <summary>remote_lat: reports <c>seconds</c>, one-way <c>mean</c>, <c>p50</c>, <c>p99</c> (µs), <c>bytes</c>, <c>gen0</c>.</summary>
    public static async Task Ping(SideLink link, LatencyPlan plan, string url)
    {
        using BenchSocket socket = BenchSocket.Open(plan.Library, Patterns.LatencyClient(plan.Pattern));
        socket.SetReceiveTimeout(plan.TimeoutMs);
        socket.SetSendTimeout(plan.TimeoutMs);
        socket.Dial(url);
        Thread.Sleep(100); // as perf
        byte[] body = new byte[plan.Size];
        byte[] buffer = new byte[Math.Max(plan.Size, 1)];
        for (int i = 0; i < plan.WarmUp; i++)
        {
            await socket.SendAsync(body);
            _ = await socket.ReceiveAsync(buffer);
        }
        long[] roundTrips = new long[plan.Trips];
        var mark = AllocationSample.Mark();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < plan.Trips; i++)
        {
            long sent = Stopwatch.GetTimestamp();
            await socket.SendAsync(body);
            int length = await socket.ReceiveAsync(buffer);
            roundTrips[i] = Stopwatch.GetTimestamp() - sent;
            if (length != plan.Size)
            {
                throw new BenchException($"wrong message size: {length} != {plan.Size}");
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        AllocationSample allocation = AllocationSample.Since(mark, plan.Trips);
        link.Signal("finished");
        Array.Sort(roundTrips);
        double toOneWayMicros = 1e6 / Stopwatch.Frequency / 2;
        link.Report("seconds", seconds);
        link.Report("mean", seconds * 1e6 / (plan.Trips * 2.0));
        link.Report("p50", Percentiles.Of(roundTrips, 0.50) * toOneWayMicros);
        link.Report("p99", Percentiles.Of(roundTrips, 0.99) * toOneWayMicros);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
    }
}

/// <summary>Nearest-rank percentiles of sorted samples.</summary>
internal static class Percentiles
{
    public static double Of(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
