// The service layer's figures for docs/services.md, each case in one process on loopback tcp (registry, members and
// clients together), so a figure includes both ends' CPU on the same cores.
// Run: dotnet run -c Release --project bench/SpNet.Services.Bench -- request|broadcast|tunnel|topics|all, or topics-paced
using System.Globalization;
using SpNet.Discovery;
using SpNet.Services.Bench;

string which = args.Length > 0 ? args[0] : "all";
await using var cluster = await Cluster.StartAsync();
if (which is "request" or "all")
{
    await Cases.RequestAsync(cluster, members: 3, concurrent: 1000, rounds: 20);
}
if (which is "broadcast" or "all")
{
    await Cases.BroadcastAsync(cluster, members: 20, broadcasts: 200);
}
if (which is "tunnel" or "all")
{
    await Cases.TunnelAsync(cluster, messages: 200_000, size: 1024, window: Tunnel.DefaultWindow);
    await Cases.TunnelAsync(cluster, messages: 200_000, size: 1024, window: 1024);
}
if (which is "topics" or "all")
{
    await Cases.TopicsAsync(cluster, subscribers: 20, messages: 10_000, size: 1024);
}
if (which is "topics-paced")
{
    // A run of its own: the flood case's subscribers would also dial this publisher.
    await Cases.PacedTopicsAsync(cluster, subscribers: 20, messages: 10_000, size: 1024, burst: 100);
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average: {File.ReadAllText("/proc/loadavg").Trim()}"));
