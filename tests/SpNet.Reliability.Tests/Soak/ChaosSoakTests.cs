using System.Globalization;
using SpNet.Reliability.Tests.Cluster;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Soak;

/// <summary>
/// Chaos soak on the namespace cluster of <see cref="ClusterTests"/> (two SP registries, or a three-node etcd; three
/// services × three members, all spcat): for <c>SPNET_SOAK_SECONDS</c> (60 s by default, 1,800 s in long mode, <c>SPNET_LONG=1</c>)
/// random member kills and restarts, host partitions (1–10 s, 1–30 s in long mode) and registry (etcd node) kills
/// (<see cref="Chaos"/>, seed <c>SPNET_SOAK_SEED</c>, printed), under a REQ/REP load (three clients, one request per
/// 50 ms each) and a PUB/SUB load (one publisher on h1, 50 messages a second, a subscriber on each member host).
/// Reported: requests answered / failed / resent, messages lost per subscriber, the longest any client went without
/// an answer, RSS and threads of every process at start and end. Asserted, generously for a loaded machine: no
/// client without an answer longer than a bound derived from the registries' missed rounds and REQ's resend time,
/// everything answers and delivers again once the faults are healed, and no process that lived through the soak
/// grew past 3× its RSS + 64 MiB or 2× its threads + 32.
/// </summary>
public sealed class ChaosSoakTests(ITestOutputHelper output) : UnobservedWatch
{
    private static readonly string[] s_services = ["a", "b", "c"];
    private static readonly TimeSpan s_requestInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan s_publishInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_setupLimit = TimeSpan.FromSeconds(90);

    /// <summary>REQ's resend time in <c>ServiceClientOptions</c> (default), part of the longest wait a client may meet.</summary>
    private static readonly TimeSpan s_resendTime = TimeSpan.FromSeconds(5);

    private static TimeSpan Duration => TimeSpan.FromSeconds(Mode.Int("SPNET_SOAK_SECONDS", Mode.IsLong ? 1_800 : 60));

    private static TimeSpan MaxPartition => TimeSpan.FromSeconds(Mode.IsLong ? 30 : 10);

    [RootFact(Peers.SpCat)]
    public Task Members_registries_and_links_fail_at_random_under_request_and_topic_load() =>
        RunAsync((net, spcat, lifetime) => new RegistryPlane(net, spcat, [1, 2], lifetime));

    /// <summary>
    /// The same soak over a three-node etcd: nodes on h1, h2 and h6, a host that is never cut, so that a node killed
    /// while a members' host is cut off still leaves a quorum (the members' hosts h3–h5 hold no node).
    /// </summary>
    [RootFact(Peers.SpCat, Peers.Etcd)]
    public Task Members_etcd_nodes_and_links_fail_at_random_under_request_and_topic_load() =>
        RunAsync((net, _, lifetime) => new EtcdPlane(net, Peers.Require(Peers.Etcd), [1, 2, 6], lifetime));

    private async Task RunAsync(Func<BridgedHosts, PeerTool, TimeSpan, IControlPlane> makePlane)
    {
        int seed = Mode.Int("SPNET_SOAK_SEED", Environment.TickCount);
        TimeSpan lifetime = Duration + TimeSpan.FromMinutes(10);
        PeerTool spcat = Peers.Require(Peers.SpCat);
        string loadBefore = LoadAverage.Now();
        using BridgedHosts net = BridgedHosts.Create(6);
        await using Timeline timeline = new();
        await using IControlPlane plane = makePlane(net, spcat, lifetime);
        await using var run = new ClusterRun(net, plane, spcat, timeline, lifetime);
        // A reachable member exists at all times (Chaos keeps one), so a client waits at most for a lost member to leave
        // the view (nominal leave), for REQ to resend, and for a restarted member to join (one round): 4x for load, + 10 s.
        TimeSpan gapLimit = (plane.NominalLeave + s_resendTime + TimeSpan.FromSeconds(1.5)) * 4 + TimeSpan.FromSeconds(10);
        Chaos? chaos = null;
        async Task Expect(Func<bool> condition, TimeSpan limit, string what)
        {
            if (!await timeline.WaitAsync(condition, limit))
            {
                string faults = chaos is null ? "" : "faults:\n" + string.Join('\n', chaos.Log) + "\n";
                Assert.Fail($"soak (seed {seed}): {what} not within {limit.TotalSeconds:0} s\n{faults}{run.Describe()}");
            }
        }

        await run.StartPlaneWatcherAndMembersAsync(s_services);
        await Expect(() => run.WatcherLists(run.Members.Values.Select(m => m.Address)), s_setupLimit, "the watcher lists all 9 members");
        foreach (int host in new[] { 3, 4, 5 })
        {
            run.StartSubscriber("news", host);
        }
        foreach ((string service, int host) in new[] { ("a", 1), ("b", 2), ("c", 1) })
        {
            run.StartClient(service, host, s_requestInterval);
        }
        run.StartPublisher("news", 1, s_publishInterval);
        await Expect(() => run.Clients.All(c => c.Answered >= 10) && run.Subscribers.All(s => s.Lines.Count >= 10), s_setupLimit,
            "every client answered and every subscriber received 10 times");
        Dictionary<string, ProcessSample> atStart = Sample(run);

        chaos = new Chaos(run, s_services, seed, MaxPartition);
        TimeSpan begin = timeline.Now, end = begin + Duration;
        TimeSpan next = begin;
        while (timeline.Now < end)
        {
            await chaos.IdleUntilAsync(next < end ? next : end);
            if (timeline.Now < end)
            {
                next = await chaos.StepAsync();
            }
        }
        await chaos.HealAllAsync();
        TimeSpan healed = timeline.Now;
        await Expect(() => run.WatcherLists(run.Members.Values.Select(m => m.Address)) && run.Members.Count == 9, s_setupLimit, "the watcher lists all 9 members after the heal");
        await Expect(() => run.Clients.All(c => c.AnsweredSince(healed) >= 10), s_setupLimit, "every client answered 10 times after the heal");
        await Expect(() => run.Subscribers.All(s => s.Lines.Lines.Count(l => l.At >= healed) >= 10), s_setupLimit, "every subscriber received 10 messages after the heal");
        Dictionary<string, ProcessSample> atEnd = Sample(run);
        foreach (RequestClient client in run.Clients)
        {
            client.Lines.Process.Kill();
        }
        run.Publisher?.Process.Kill();

        Report(run, chaos, seed, loadBefore, begin, healed, atStart, atEnd);
        foreach (RequestClient c in run.Clients)
        {
            TimeSpan gap = c.LongestWithoutAnswer(begin, healed);
            Assert.True(gap <= gapLimit, $"client {c.Service}@h{c.Host} went {gap.TotalSeconds:0.0} s without an answer (bound {gapLimit.TotalSeconds:0} s, seed {seed})");
        }
        foreach ((string role, ProcessSample start) in atStart)
        {
            if (atEnd.TryGetValue(role, out ProcessSample last) && last.Pid == start.Pid)
            {
                Assert.True(last.RssKiB <= start.RssKiB * 3 + 64 * 1024, $"{role}: RSS {start} at start, {last} at end");
                Assert.True(last.Threads <= start.Threads * 2 + 32, $"{role}: threads {start} at start, {last} at end");
            }
        }
    }

    private static Dictionary<string, ProcessSample> Sample(ClusterRun run)
    {
        var samples = new Dictionary<string, ProcessSample>(StringComparer.Ordinal);
        foreach ((string role, PeerProcess process) in run.Running())
        {
            if (ProcessSample.Read(process.Id) is { } sample)
            {
                samples[role] = sample;
            }
        }
        return samples;
    }

    private void Report(ClusterRun run, Chaos chaos, int seed, string loadBefore, TimeSpan begin, TimeSpan healed,
        Dictionary<string, ProcessSample> atStart, Dictionary<string, ProcessSample> atEnd)
    {
        static string S(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s");
        output.WriteLine($"chaos soak, {S(healed - begin)} of faults (seed {seed}), {run.Plane.Name}, 3 services x 3 members; load before {loadBefore}, after {LoadAverage.Now()}");
        output.WriteLine($"  faults: {chaos.MemberKills} member kills, {chaos.Partitions} partitions ({S(chaos.PartitionedTime)} in all, each 1 s to {S(chaos.MaxPartition)}), {chaos.RegistryKills} registry kills");
        foreach (RequestClient c in run.Clients)
        {
            output.WriteLine($"  client {c.Service}@h{c.Host}: {c.Answered + c.Failed} sent, {c.Answered} answered, {c.Failed} failed, longest without an answer {S(c.LongestWithoutAnswer(begin, healed))}");
            foreach (string kind in c.FailureKinds())
            {
                output.WriteLine($"    {kind}");
            }
        }
        output.WriteLine($"  resent (reached two members): {run.Resent()}");
        foreach ((int host, TimedLines lines) in run.Subscribers)
        {
            int[] numbers = [.. lines.Lines.Select(l => int.TryParse(l.Text.AsSpan(1), CultureInfo.InvariantCulture, out int n) ? n : -1).Where(n => n > 0).Distinct()];
            int span = numbers.Length == 0 ? 0 : numbers.Max() - numbers.Min() + 1;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  subscriber @h{host}: {numbers.Length} received of {span} published since its first, {span - numbers.Length} lost ({(span == 0 ? 0 : 100.0 * (span - numbers.Length) / span):0.00} %)"));
        }
        foreach ((string role, ProcessSample start) in atStart.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            string last = atEnd.TryGetValue(role, out ProcessSample end) ? (end.Pid == start.Pid ? end.ToString() : $"{end} (restarted)") : "gone";
            output.WriteLine($"  {role}: start {start}, end {last}");
        }
        foreach (string line in chaos.Log)
        {
            output.WriteLine($"  {line}");
        }
    }
}
