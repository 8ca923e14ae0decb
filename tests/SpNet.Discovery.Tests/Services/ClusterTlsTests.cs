using System.Text;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

public sealed class ClusterTlsTests
{
    [Fact]
    public async Task Only_a_member_whose_certificate_chains_to_the_cluster_CA_and_names_the_service_is_used()
    {
        using var cluster = TestCertificates.Create("Cluster CA", serverName: "billing");
        using var stranger = TestCertificates.Create("Other CA", serverName: "billing");
        using var payroll = cluster.IssueServer("payroll");
        // This test is about the handshake, not liveness: with the tests' 200 ms heartbeat and 2 missed rounds, a
        // 400 ms stall of a loaded machine (stress-ng --cpu 2 beside the suite) made the registry drop all three
        // members between WaitForMembersAsync and the first request ("no live member"). Ten rounds tolerate stalls
        // of two seconds; removal itself is proved elsewhere with the default.
        RegistryOptions options = Timing.Options();
        options.MissedRounds = 10;
        await using ServiceCluster services = await ServiceCluster.StartAsync(options);
        foreach (var (name, certificate) in new[] { ("genuine", cluster.Server), ("other-service", payroll), ("other-ca", stranger.Server) })
        {
            ServiceHost host = await services.HostAsync("billing", o => o.Tls = new TlsOptions { Certificate = certificate });
            host.OnRequest((request, _) => ValueTask.FromResult(Message.Create($"{name}:{request}")));
            Assert.StartsWith("tls+tcp://", host.RequestUrl, StringComparison.Ordinal);
        }
        ServiceClient client = services.Client(o => o.Tls = new TlsOptions { CaCertificates = [cluster.Ca] });
        await ServiceCluster.WaitForMembersAsync(client, "billing", 3);

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"genuine:{i}", Encoding.UTF8.GetString(await client.RequestAsync("billing", Encoding.UTF8.GetBytes($"{i}")).WaitAsync(Timing.Hang)));
        }
        await Eventually.True(() => client.RefusedConnections >= 2, "both impostors refused and counted", Timing.Hang);
    }
}
