using System.Globalization;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>
/// A cluster on five hosts (network namespaces on one bridge, <see cref="BridgedHosts"/>): the discovery plane on hosts
/// 1–2 (two SP registries) or 1–3 (etcd), services a, b and c with one member each on hosts 3, 4 and 5, request
/// clients calling a (host 1), b (host 2) and c (host 1) by name every 50 ms, and a watcher on host 2; every process is
/// spcat. Then, one after the other, each waited for: a member is killed and started again, one registry (etcd node) is
/// killed, and host 5 is cut off the LAN and put back. Reported: requests answered, failed and resent, the time the
/// watcher took to see a leave and a join, and the longest time a client went without an answer. Asserted, generously
/// for a loaded machine: every change is seen within a bound derived from the plane's nominal leave time, and every
/// client is answered again after every disruption. The script samples/Cluster.Namespaces/run.sh runs this.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output) : UnobservedWatch
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan s_start = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_requestInterval = TimeSpan.FromMilliseconds(50);
    private static readonly string[] s_services = ["a", "b", "c"];

    [RootFact(Peers.SpCat)]
    public Task Two_registries_survive_member_kills_a_registry_kill_and_a_partitioned_host() =>
        RunAsync((net, spcat) => new RegistryPlane(net, spcat, [1, 2], s_lifetime));

    [RootFact(Peers.SpCat, Peers.Etcd)]
    public Task Etcd_survives_member_kills_a_node_kill_and_a_partitioned_host() =>
        RunAsync((net, _) => new EtcdPlane(net, Peers.Require(Peers.Etcd), [1, 2, 3], s_lifetime));

    private async Task RunAsync(Func<BridgedHosts, PeerTool, IControlPlane> makePlane)
    {
        PeerTool spcat = Peers.Require(Peers.SpCat);
        string loadBefore = LoadAverage.Now();
        using BridgedHosts net = BridgedHosts.Create(5);
        await using Timeline timeline = new();
        await using IControlPlane plane = makePlane(net, spcat);
        await using var run = new ClusterRun(net, plane, spcat, timeline, s_lifetime);
        // A change must be seen within the nominal leave time; a loaded 2-core machine stretches rounds, so 4x plus 10 s.
        TimeSpan leaveLimit = plane.NominalLeave * 4 + TimeSpan.FromSeconds(10);
        TimeSpan recoverLimit = TimeSpan.FromSeconds(60);
        async Task Expect(Func<bool> condition, TimeSpan limit, string what)
        {
            if (!await timeline.WaitAsync(condition, limit))
            {
                Assert.Fail($"{plane.Name}: {what} not within {limit.TotalSeconds:0} s\n{run.Describe()}");
            }
        }

        await run.StartPlaneWatcherAndMembersAsync(s_services);
        await Expect(() => run.WatcherLists(run.Members.Values.Select(m => m.Address)), s_start, "the watcher lists all 9 members");
        foreach ((string service, int host) in new[] { ("a", 1), ("b", 2), ("c", 1) })
        {
            run.StartClient(service, host, s_requestInterval);
        }
        await Expect(() => run.Clients.All(c => c.Answered >= 10), s_start, "every client answered 10 times");
        TimeSpan begin = timeline.Now;

        async Task<TimeSpan> AnsweredAgain(TimeSpan since, string after)
        {
            await Expect(() => run.Clients.All(c => c.AnsweredSince(since) >= 10), recoverLimit, $"every client answered 10 times after {after}");
            return timeline.Now;
        }

        // 1. A member dies (SIGKILL): the watcher sees it leave; its clients go on with the other two members.
        TimeSpan killed = timeline.Now;
        Member victim = run.KillMember("a@h3");
        await Expect(() => run.WatcherListsNone([victim.Address]), leaveLimit, "the killed member a@h3 leaves the view");
        TimeSpan leave = run.Watcher!.First(killed, l => !l.Contains(victim.Address, StringComparison.Ordinal))!.Value.At - killed;
        await AnsweredAgain(killed, "the member kill");

        // 2. It starts again (a new process, a new port): the watcher sees it join, counted from its "host … at" line.
        Member again = await run.StartMemberAsync("a", 3);
        await Expect(() => run.WatcherLists([again.Address]), leaveLimit, "the restarted member a@h3 joins the view");
        TimeSpan join = run.Watcher.First(again.StartedAt, l => l.Contains(again.Address, StringComparison.Ordinal))!.Value.At - again.StartedAt;

        // 3. One registry (etcd node) dies, once every registry lists the restarted member: nothing may change for the clients.
        await Expect(() => plane.EveryNodeLists(9), leaveLimit, "every registry lists the 9 members");
        TimeSpan planeKilled = timeline.Now;
        plane.Kill(0);
        await AnsweredAgain(planeKilled, "the registry kill");
        string[] nine = [.. run.Members.Values.Select(m => m.Address)];
        int viewsMissingMembers = run.Watcher.Lines.Count(l => l.At >= planeKilled && !nine.All(a => l.Text.Contains(a, StringComparison.Ordinal)));

        // 4. Host 5 is cut off: its three members leave every view; the clients carry on with hosts 3 and 4.
        string[] onFive = [.. run.Members.Values.Where(m => m.Host == 5).Select(m => m.Address)];
        TimeSpan cut = timeline.Now;
        await net.SetConnectedAsync(5, connected: false);
        await Expect(() => run.WatcherListsNone(onFive), leaveLimit, "host 5's members leave the view during the partition");
        TimeSpan cutLeave = run.Watcher.First(cut, l => !onFive.Any(a => l.Contains(a, StringComparison.Ordinal)))!.Value.At - cut;
        TimeSpan cutAnswered = await AnsweredAgain(cut, "host 5 was cut off");

        // 5. Host 5 comes back: its members rejoin (TCP retransmission backoff decides when) and everyone is answered.
        TimeSpan healed = timeline.Now;
        await net.SetConnectedAsync(5, connected: true);
        await Expect(() => run.WatcherLists(onFive), recoverLimit + leaveLimit, "host 5's members rejoin the view after the partition");
        TimeSpan rejoin = run.Watcher.First(healed, l => onFive.All(a => l.Contains(a, StringComparison.Ordinal)))!.Value.At - healed;
        TimeSpan end = await AnsweredAgain(healed, "host 5 came back");

        foreach (RequestClient client in run.Clients)
        {
            client.Lines.Process.Kill();
        }
        string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:N0} ms");
        output.WriteLine($"{plane.Name}, 5 hosts, 3 services x 3 members, 3 clients every {Ms(s_requestInterval)}; load before {loadBefore}, after {LoadAverage.Now()}");
        foreach (RequestClient c in run.Clients)
        {
            output.WriteLine($"  client {c.Service}@h{c.Host}: {c.Answered} answered, {c.Failed} failed, longest without an answer {Ms(c.LongestWithoutAnswer(begin, end))}");
        }
        output.WriteLine($"  resent (reached two members): {run.Resent()}");
        output.WriteLine($"  member killed: left the view after {Ms(leave)}; restarted: joined {Ms(join)} after it listened");
        output.WriteLine($"  registry killed: {viewsMissingMembers} watcher snapshot(s) without all 9 members");
        output.WriteLine($"  host 5 cut off: its members left the view after {Ms(cutLeave)}, every client answered 10 times {Ms(cutAnswered - cut)} after the cut; " +
            $"back: rejoined {Ms(rejoin)} after the link returned (held {Ms(healed - cut)})");
        output.WriteLine($"  whole run {Ms(end - begin)}; leave bound asserted {Ms(leaveLimit)} (nominal {Ms(plane.NominalLeave)})");
        Assert.True(leave <= leaveLimit && cutLeave <= leaveLimit);
        Assert.Equal(0, viewsMissingMembers);
    }
}
