using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Hostile;

/// <summary>
/// Many idle SP connections (handshake done, nothing sent): each costs two file descriptors in this test (both
/// ends live in the process) and no thread, since pipes run on async I/O.
/// </summary>
public sealed class IdleConnectionTests(ITestOutputHelper output) : UnobservedWatch
{
    private static int Count => Mode.Int("SPNET_IDLE_CONNECTIONS", Mode.IsLong ? 10_000 : 1_000);

    [Fact]
    public async Task Idle_connections_cost_no_threads_and_two_descriptors_each()
    {
        int count = Count;
        long fdLimit = SoftFileLimit();
        int fdsBefore = OpenDescriptors();
        // Both ends in this process: 2 per connection, plus headroom for the runtime.
        long needed = fdsBefore + (2L * count) + 256;
        if (fdLimit > 0 && needed > fdLimit)
        {
            // Not a pass: xunit 2 has no dynamic skip, so say exactly what to change.
            Assert.Fail($"ulimit -n is {fdLimit}, {needed} descriptors are needed for {count} connections: raise it (ulimit -n {needed}) or lower SPNET_IDLE_CONNECTIONS");
        }
        await using var rep = new RepSocket();
        string url = rep.Listen(Addresses.TcpLoopback).Url;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        int threadsBefore = process.Threads.Count;
        var clock = Stopwatch.StartNew();
        var peers = new List<RawSpPeer>(count);
        try
        {
            for (int batch = 0; batch < count; batch += 100)
            {
                int n = Math.Min(100, count - batch);
                var opened = await Task.WhenAll(Enumerable.Range(0, n).Select(_ => RawSpPeer.ConnectAndHandshakeAsync(url, 0x30)));
                peers.AddRange(opened.Select(o => o.Peer));
            }
            await Eventually.True(() => rep.Statistics.CurrentPipes == count, $"{count} pipes open ({rep.Statistics})", TimeSpan.FromSeconds(30));
            TimeSpan openTime = clock.Elapsed;
            process.Refresh();
            int threads = process.Threads.Count;
            int fds = OpenDescriptors();
            output.WriteLine($"{count:N0} idle connections opened in {openTime.TotalSeconds:0.0} s: threads {threadsBefore} -> {threads}, descriptors {fdsBefore} -> {fds} (ulimit -n {fdLimit}), working set {process.WorkingSet64 / (1024 * 1024)} MiB");
            Assert.True(threads <= threadsBefore + 16, $"threads grew from {threadsBefore} to {threads}");
            Assert.True(fds <= fdsBefore + (2 * count) + 64, $"descriptors grew from {fdsBefore} to {fds}");

            // Still responsive with all of them open.
            await using var req = new ReqSocket();
            await Eventually.Within(req.DialAsync(url).AsTask(), "dial");
            await req.SendAsync("ping"u8.ToArray());
            using (Message request = await Eventually.Within(rep.ReceiveAsync().AsTask(), "request"))
            {
                await rep.SendAsync("pong"u8.ToArray());
            }
            using Message reply = await Eventually.Within(req.ReceiveAsync().AsTask(), "reply");
            Assert.Equal("pong", reply.ToString());
        }
        finally
        {
            foreach (RawSpPeer peer in peers)
            {
                peer.Dispose();
            }
        }
        await Eventually.True(() => rep.Statistics.CurrentPipes <= 1, $"pipes released ({rep.Statistics})", TimeSpan.FromSeconds(30));
    }

    private static int OpenDescriptors() => OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : 0;

    private static long SoftFileLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string soft = line["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return soft == "unlimited" ? 0 : long.Parse(soft, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
