using System.Diagnostics;
using System.Runtime.InteropServices;
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
        if (fdLimit > 0 && needed > fdLimit && TryRaiseFileLimit(needed))
        {
            output.WriteLine($"raised RLIMIT_NOFILE from {fdLimit} to {needed}");
            fdLimit = SoftFileLimit();
        }
        if (fdLimit > 0 && needed > fdLimit)
        {
            // Cannot raise it (no CAP_SYS_RESOURCE): run as many as fit and say so, rather than fail on the machine.
            count = (int)((fdLimit - fdsBefore - 256) / 2);
            output.WriteLine($"ulimit -n is {fdLimit} and cannot be raised: running {count:N0} connections instead of {Count:N0} (raise it to {needed} for the full run)");
            Assert.True(count >= 1000, $"ulimit -n {fdLimit} leaves room for only {count} connections");
        }
        await using var rep = new RepSocket();
        string url = rep.Listen(Addresses.TcpLoopback).Url;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        int threadsBefore = process.Threads.Count;
        long workingSetBefore = process.WorkingSet64;
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
            output.WriteLine($"{count:N0} idle connections opened in {openTime.TotalSeconds:0.0} s: threads {threadsBefore} -> {threads}, descriptors {fdsBefore} -> {fds} (ulimit -n {fdLimit}), working set {workingSetBefore / (1024 * 1024)} -> {process.WorkingSet64 / (1024 * 1024)} MiB ({(process.WorkingSet64 - workingSetBefore) / count / 1024} KiB per connection, both ends)");
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

    /// <summary>setrlimit(RLIMIT_NOFILE) to <paramref name="limit"/> for soft and hard (root may raise the hard limit).</summary>
    private static bool TryRaiseFileLimit(long limit)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        var value = new RLimit { Current = (ulong)limit, Maximum = (ulong)limit };
        return SetRLimit(7 /* RLIMIT_NOFILE */, ref value) == 0;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);

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
