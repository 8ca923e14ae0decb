using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>1,000 members in this process over a three-node etcd: all listed; the figures in docs/discovery.md are printed.</summary>
public sealed class EtcdScaleTests(ITestOutputHelper output)
{
    private const int Members = 1000;
    private static readonly TimeSpan FullBound = TimeSpan.FromSeconds(60);

    [PeerFact(Peers.Etcd)]
    public async Task A_thousand_members_over_etcd_are_all_listed()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(3);
        // The default lease (10 s, renewed every 3.3 s): the figures are for the backend as shipped.
        using var members = new EtcdBackend(cluster.ClientUrls.ToArray());
        using var watching = new EtcdBackend(cluster.ClientUrls.ToArray());
        await using var client = DiscoveryClient.Start(watching);
        await client.WaitForAsync(_ => client.SnapshotsReceived > 0, Timing.Within(Timing.Hang));
        var registrations = new List<ServiceRegistration>(Members + 1);
        try
        {
            using Process self = Process.GetCurrentProcess();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < Members; i++)
            {
                registrations.Add(ServiceRegistration.Start(members, Member(i)));
            }
            ServiceSnapshot full = await client.WaitForAsync(s => s.Members.Count == Members, Timing.Within(FullBound));
            TimeSpan listed = clock.Elapsed;
            int size = DiscoveryFormat.EncodeSnapshot(full).Length;

            // Steady state: this process's CPU (1,000 keep-alive streams and the watch) per second.
            self.Refresh();
            TimeSpan cpuBefore = self.TotalProcessorTime;
            long renewalsBefore = registrations.Sum(r => r.Renewals);
            var steady = Stopwatch.StartNew();
            await Eventually.True(() => registrations.All(r => r.Renewals >= 3), "every member renews its lease at least twice", FullBound);
            self.Refresh();
            double cpuPerSecond = (self.TotalProcessorTime - cpuBefore).TotalMilliseconds / steady.Elapsed.TotalSeconds;
            double renewalsPerSecond = (registrations.Sum(r => r.Renewals) - renewalsBefore) / steady.Elapsed.TotalSeconds;

            clock.Restart();
            registrations.Add(ServiceRegistration.Start(members, Member(Members)));
            await client.WaitForAsync(s => s.Members.Count == Members + 1, Timing.Within(FullBound));
            TimeSpan join = clock.Elapsed;

            output.WriteLine($"{Members} members over 3 etcd nodes: all in the client's view after {listed.TotalSeconds:0.0} s; " +
                $"view as a snapshot {size:N0} bytes; one more member visible after {join.TotalMilliseconds:0} ms; " +
                $"{renewalsPerSecond:0} renewals/s costing {cpuPerSecond:0} ms CPU per second in this process");
            Assert.Equal(Members, full.Members.Count);
            Assert.Equal(0, client.MalformedSnapshots);
        }
        finally
        {
            await Task.WhenAll(registrations.Select(r => r.DisposeAsync().AsTask()));
        }
    }

    private static ServiceMember Member(int i) =>
        new($"svc{i % 10}", $"tcp://10.0.{i / 250}.{i % 250}:5555", new Dictionary<string, string> { ["zone"] = $"z{i % 3}" });
}
