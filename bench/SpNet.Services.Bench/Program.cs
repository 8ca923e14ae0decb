// The service layer's figures for docs/services.md, on loopback tcp, as two processes: the registry and the measured
// client in this one, every member (hosts, subscribers, the tunnel sink and the raw PAIR1 receiver) in a child process
// (this program again, "members …"), so the two ends share no runtime, thread pool or buffer pool.
// Run: dotnet run -c Release --project bench/SpNet.Services.Bench -- request|broadcast|tunnel|topics|topics-paced|all
// [--quick]: a hundredth of the work, to check that every case runs (not a measurement).
using System.Globalization;
using SpNet.Discovery;
using SpNet.Services.Bench;

if (args.Length > 0 && args[0] == "members")
{
    await Members.RunAsync(args[1..]);
    return;
}
string which = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "all";
int scale = args.Contains("--quick") ? 100 : 1;
Print($"uptime: {File.ReadAllText("/proc/loadavg").Trim()} (load averages 1, 5, 15 min)");
await using var cluster = await Cluster.StartAsync();
if (which is "request" or "all")
{
    await Cases.RequestAsync(cluster, members: 3, concurrent: 1000 / scale, rounds: 20);
}
if (which is "broadcast" or "all")
{
    await Cases.BroadcastAsync(cluster, members: 20, broadcasts: 200 / scale);
}
if (which is "tunnel" or "all")
{
    // The defaults (window 128 growing up to 2,048), then growth off at 128, and growth up to half and twice the
    // default maximum (the largest window).
    await Cases.TunnelAsync(cluster, messages: 200_000 / scale, size: 1024, window: Tunnel.DefaultWindow, maxWindow: Tunnel.DefaultMaxWindow, runs: 3, roundTrips: 2_000 / scale);
    await Cases.TunnelAsync(cluster, messages: 200_000 / scale, size: 1024, window: Tunnel.DefaultWindow, maxWindow: Tunnel.DefaultWindow, runs: 2);
    await Cases.TunnelAsync(cluster, messages: 200_000 / scale, size: 1024, window: Tunnel.DefaultWindow, maxWindow: Tunnel.DefaultMaxWindow / 2, runs: 2);
    await Cases.TunnelAsync(cluster, messages: 200_000 / scale, size: 1024, window: Tunnel.DefaultWindow, maxWindow: 4096, runs: 2);
}
if (which is "topics" or "all")
{
    await Cases.TopicsAsync(cluster, subscribers: 20, messages: 10_000 / scale, size: 1024);
}
if (which is "topics-paced" or "all")
{
    await Cases.PacedTopicsAsync(cluster, subscribers: 20, messages: 10_000 / scale, size: 1024, burst: 100 / scale);
}
Print($"uptime: {File.ReadAllText("/proc/loadavg").Trim()}");

static void Print(string line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
