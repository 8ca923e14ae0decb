using System.Diagnostics;
using SpNet.Discovery.Tests.Services;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>Members and clients over a real three-node etcd cluster on loopback.</summary>
public sealed class EtcdBackendTests(ITestOutputHelper output)
{
    private static readonly TimeSpan JoinBound = TimeSpan.FromSeconds(1);

    [PeerFact(Peers.Etcd)]
    public async Task A_member_appears_within_a_second_and_a_disposed_one_leaves_at_once()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
        using var clientBackend = new EtcdBackend(Timing.Options(cluster));
        using var memberBackend = new EtcdBackend(Timing.Options(cluster));
        await using var client = DiscoveryClient.Start(clientBackend);
        await client.WaitForAsync(_ => client.SnapshotsReceived > 0, Timing.Within(Timing.Hang));
        Assert.Empty(client.Current.Members);
        Assert.NotEqual(0, client.Current.Epoch); // the cluster id

        var member = new ServiceMember("kv", "tcp://10.0.0.1:5555", new Dictionary<string, string> { ["zone"] = "eu-1" });
        var clock = Stopwatch.StartNew();
        ServiceRegistration registration = ServiceRegistration.Start(memberBackend, member);
        ServiceSnapshot listed = await client.WaitForAsync(s => s.MembersOf("kv").Count == 1, Timing.Within(Timing.Hang));
        TimeSpan joined = clock.Elapsed;
        ServiceMember seen = Assert.Single(listed.Members);
        Assert.Equal(member, seen);
        Assert.Equal("eu-1", seen.Zone);
        // The watch event may beat the put's own answer to the registration.
        await Eventually.True(() => registration.IsConnected && registration.Renewals >= 1, "the registration counts its put", Timing.Hang);

        clock.Restart();
        await registration.DisposeAsync();
        await client.WaitForAsync(s => s.Members.Count == 0, Timing.Within(Timing.Hang));
        TimeSpan left = clock.Elapsed;
        output.WriteLine($"join visible after {joined.TotalMilliseconds:0} ms, leave after {left.TotalMilliseconds:0} ms");
        Assert.True(joined < JoinBound + Timing.Slack, $"join took {joined}");
        Assert.True(left < JoinBound + Timing.Slack, $"leave took {left}");
    }

    [PeerFact(Peers.Etcd, Peers.SpCat)]
    public async Task A_killed_member_disappears_within_its_lease_ttl()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
        using var backend = new EtcdBackend(Timing.Options(cluster));
        await using var client = DiscoveryClient.Start(backend);
        await using PeerProcess member = PeerProcess.Start(Peers.Require(Peers.SpCat), TimeSpan.FromMinutes(2),
            "discovery", "register", "--etcd", cluster.ToString(), "--service", "kv", "--address", "tcp://10.0.0.2:5555", "--ttl", EtcdCluster.Seconds(Timing.LeaseTtl));
        output.WriteLine(member.CommandLine);
        await client.WaitForAsync(s => s.MembersOf("kv").Count == 1, Timing.Within(Timing.Hang));

        var clock = Stopwatch.StartNew();
        member.Kill();
        await client.WaitForAsync(s => s.Members.Count == 0, Timing.Within(Timing.Hang));
        TimeSpan gone = clock.Elapsed;
        output.WriteLine($"killed member gone after {gone.TotalMilliseconds:0} ms (lease TTL {Timing.LeaseTtl.TotalSeconds} s)");
        Assert.True(gone < Timing.LeaseTtl + Timing.Slack, $"the killed member was listed for {gone}");
    }

    [PeerFact(Peers.Etcd)]
    public async Task Killing_one_of_three_etcd_nodes_mid_run_changes_nothing_for_clients()
    {
        const int Hosts = 3, Clients = 2;
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
        await using var cleanup = new Owned();
        EtcdBackend hostBackend = cleanup.Add(new EtcdBackend(Timing.Options(cluster)));
        var hosts = new ServiceHost[Hosts];
        for (int i = 0; i < Hosts; i++)
        {
            string name = $"host{i}";
            hosts[i] = cleanup.Add(await ServiceHost.StartAsync(new ServiceHostOptions { Service = "kv", Backend = hostBackend }));
            hosts[i].OnRequest((request, _) => ValueTask.FromResult(Message.Create(System.Text.Encoding.UTF8.GetBytes($"{name}:{request}"))));
        }
        var clients = new ServiceClient[Clients];
        for (int i = 0; i < Clients; i++)
        {
            EtcdBackend backend = cleanup.Add(new EtcdBackend(Timing.Options(cluster)));
            clients[i] = cleanup.Add(ServiceClient.Start(new ServiceClientOptions { Backend = backend, RequestTimeout = Timing.Hang }));
        }
        foreach (ServiceClient client in clients)
        {
            await client.Discovery.WaitForAsync(s => s.MembersOf("kv").Count == Hosts, Timing.Within(Timing.Hang));
        }

        RequestLoad load = RequestLoad.Start(clients, Hosts);

        await Eventually.True(() => load.Completed >= 100, "requests are running", Timing.Hang);
        cluster.Kill(0);
        int atKill = load.Completed;
        // Run on for more than a lease TTL: a member whose renewals did not move to a live node would expire.
        long[] renewals = [.. hosts.Select(h => h.Registration.Renewals)];
        await Eventually.True(() => hosts.Select((h, i) => h.Registration.Renewals >= renewals[i] + 4).All(b => b),
            "every host renews its lease 4 more times (over a TTL) after the kill", Timing.Hang);
        var late = new ServiceMember("kv-late", "tcp://10.0.0.9:1");
        await using (ServiceRegistration joiner = ServiceRegistration.Start(hostBackend, late))
        {
            foreach (ServiceClient client in clients)
            {
                await client.Discovery.WaitForAsync(s => s.MembersOf("kv-late").Count == 1, Timing.Within(Timing.Hang));
            }
        }
        await load.StopAsync(Timing.Hang);
        output.WriteLine($"{load.Completed} requests, {atKill} before the kill; {load.Failures.Count} failed");

        Assert.Empty(load.Failures);
        Assert.True(load.Completed > atKill, "requests went on after the kill");
        Assert.Equal(Hosts, load.Fewest);
        Assert.All(clients, client => Assert.Equal(Hosts, client.Discovery.Current.MembersOf("kv").Count));
    }

    [PeerFact(Peers.Etcd)]
    public async Task While_etcd_is_down_clients_keep_their_view_and_members_retry_until_it_returns()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1);
        using var backend = new EtcdBackend(Timing.Options(cluster));
        await using var client = DiscoveryClient.Start(backend);
        await using ServiceRegistration first = ServiceRegistration.Start(backend, new ServiceMember("kv", "tcp://10.0.0.1:1"));
        await client.WaitForAsync(s => s.MembersOf("kv").Count == 1, Timing.Within(Timing.Hang));
        int emptied = 0;
        client.Changed += (_, s) => Interlocked.Add(ref emptied, s.MembersOf("kv").Count == 0 ? 1 : 0);

        cluster.Kill(0);
        await Eventually.True(() => client.Sources[backend.Description].Lost, "the client notices etcd is gone", Timing.Hang);
        await Eventually.True(() => !first.IsConnected, "the member notices etcd is gone", Timing.Hang);
        Assert.Single(client.Current.MembersOf("kv")); // stale beats empty
        await using ServiceRegistration second = ServiceRegistration.Start(backend, new ServiceMember("kv", "tcp://10.0.0.2:1"));
        await Task.Delay(Timing.LeaseTtl); // etcd stays down for longer than a lease: the members must outlast it
        Assert.False(second.IsConnected);

        await cluster.RestartAsync(0);
        await client.WaitForAsync(s => s.MembersOf("kv").Count == 2, Timing.Within(Timing.Hang));
        await Eventually.True(() => first.IsConnected && second.IsConnected, "both members are connected again", Timing.Hang);
        long renewals = first.Renewals;
        await Eventually.True(() => first.Renewals >= renewals + 4, "the first member renews over a whole TTL after the restart", Timing.Hang);
        Assert.Equal(2, client.Current.MembersOf("kv").Count);
        Assert.Equal(0, Volatile.Read(ref emptied));
    }
}
