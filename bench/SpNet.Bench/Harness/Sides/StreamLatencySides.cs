using System.Buffers.Binary;
using System.Diagnostics;

namespace SpNet.Bench.Harness.Sides;

/// <summary>What a latency-against-count case sends: <paramref name="Count"/> stamped messages back to back, once <paramref name="WarmUp"/> unstamped ones have all arrived.</summary>
internal sealed record StreamLatencyPlan(Library Library, int Size, int Count, int WarmUp);

/// <summary>
/// The benchmark essay's latency figure: a PUSH sends COUNT messages back to back, each stamped with the time it was
/// handed to the library; the PULL takes the difference on arrival and averages it over the run. Both sides read the
/// same monotonic clock (on Linux <see cref="Stopwatch"/> is CLOCK_MONOTONIC, shared by every process), so the figure
/// holds across processes. PUSH/PULL, not PUB/SUB: nothing is dropped, so every message counts; a long run's mean is
/// dominated by the time messages wait in the queues.
/// </summary>
internal static class StreamLatencySides
{
    /// <summary>Reports <c>mean</c> (µs), <c>received</c> and <c>seconds</c> (first to last stamped message).</summary>
    public static async Task Receive(SideLink link, StreamLatencyPlan plan, string url)
    {
        using BenchSocket pull = BenchSocket.Open(plan.Library, SocketKind.Pull);
        pull.SetQueueDepth(128);
        pull.SetReceiveTimeout(10_000);
        link.Ready(pull.Listen(url));
        byte[] buffer = new byte[Math.Max(plan.Size, 8)];
        for (int i = 0; i < plan.WarmUp; i++)
        {
            _ = await pull.ReceiveAsync(buffer);
        }
        link.Signal("warm"); // the queues are empty: the stamped run starts from rest
        double totalTicks = 0;
        long first = 0, last = 0;
        int received = 0;
        while (received < plan.Count)
        {
            _ = await pull.ReceiveAsync(buffer);
            long stamp = BinaryPrimitives.ReadInt64LittleEndian(buffer);
            last = Stopwatch.GetTimestamp();
            totalTicks += last - stamp;
            if (received++ == 0)
            {
                first = last;
            }
        }
        link.Report("mean", totalTicks / received * 1e6 / Stopwatch.Frequency);
        link.Report("received", received);
        link.Report("seconds", Stopwatch.GetElapsedTime(first, last).TotalSeconds);
        link.Signal("received");
    }

    public static async Task Send(SideLink link, StreamLatencyPlan plan, string url)
    {
        using BenchSocket push = BenchSocket.Open(plan.Library, SocketKind.Push);
        push.SetQueueDepth(128);
        push.SetSendTimeout(10_000);
        push.Dial(url);
        byte[] body = new byte[Math.Max(plan.Size, 8)];
        for (int i = 0; i < plan.WarmUp; i++)
        {
            await push.SendAsync(body);
        }
        link.WaitFor("warm");
        for (int i = 0; i < plan.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
            await push.SendAsync(body);
        }
        link.WaitFor("received");
    }
}
