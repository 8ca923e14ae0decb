using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
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

    [Fact]
    public async Task A_registry_in_cluster_mode_lists_a_member_only_when_its_certificate_names_the_service()
    {
        using var cluster = TestCertificates.Create("Cluster CA");
        using var billing = cluster.IssueMember("billing");
        using var payroll = cluster.IssueMember("payroll");
        var log = new ListLogger();
        await using ServiceCluster services = await ServiceCluster.StartAsync(ClusterMode(cluster, log));

        ServiceHost genuine = await services.HostAsync("billing", o => o.Tls = Member(cluster, billing));
        ServiceHost impostor = await services.HostAsync("billing", o => o.Tls = Member(cluster, payroll));
        ServiceHost own = await services.HostAsync("payroll", o => o.Tls = Member(cluster, payroll));
        // An answer without the sp.* keys, from a certificate that names no service at all.
        await using var anonymous = ServiceRegistration.Start(services.Registry.SurveyUrl, new ServiceMember("billing", "tcp://127.0.0.1:9"), tls: Member(cluster, cluster.Client));

        Registry registry = services.Registry;
        await Eventually.True(
            () => registry.Statistics.CertificateMismatches >= 6 && registry.Current.MembersOf("payroll").Count == 1 && registry.Current.MembersOf("billing").Count == 1,
            "three rounds of both impostors refused, the honest members listed", Timing.Hang);
        Assert.Equal([genuine.RequestUrl], registry.Current.MembersOf("billing").Select(m => m.Address));
        Assert.Equal([own.RequestUrl], registry.Current.MembersOf("payroll").Select(m => m.Address));
        // Logged once per connection and service, not once per round.
        Assert.Equal(1, log.Count(104, $"refused billing member {impostor.RequestUrl}: the connection's certificate (CN=payroll) does not name 'billing'"));
        Assert.Equal(1, log.Count(104, "refused billing member tcp://127.0.0.1:9: the connection's certificate (CN=spnet-client) does not name 'billing'"));
    }

    [Fact]
    public async Task In_cluster_mode_a_topic_publisher_is_listed_under_the_name_its_certificate_carries()
    {
        using var cluster = TestCertificates.Create("Cluster CA");
        using var reports = cluster.IssueMember("reports");
        await using ServiceCluster services = await ServiceCluster.StartAsync(ClusterMode(cluster, logger: null));
        ServiceClient publisher = services.Client(o => o.Tls = Member(cluster, reports));
        ServiceClient subscriber = services.Client(o => o.Tls = Member(cluster, cluster.Client));
        var got = new ConcurrentQueue<string>();
        await using IAsyncDisposable subscription = await subscriber.SubscribeAsync("news", (body, _) =>
        {
            got.Enqueue(Encoding.UTF8.GetString(body));
            return ValueTask.CompletedTask;
        });
        Assert.True(await publisher.WaitForTopicSubscribersAsync(1, Timing.Hang), "the subscriber connected to the publisher");
        await publisher.PublishAsync("news", "hello"u8.ToArray());
        await Eventually.True(() => got.Contains("hello"), "delivered", Timing.Hang);

        // A publisher announcing a name its certificate does not carry is refused by the registry.
        var forged = new ServiceMember(ServiceMeta.TopicsService, "tls+tcp://127.0.0.1:9", new Dictionary<string, string> { [ServiceMeta.TlsName] = "reports" });
        await using var impostor = ServiceRegistration.Start(services.Registry.SurveyUrl, forged, tls: Member(cluster, cluster.Client));
        await Eventually.True(() => services.Registry.Statistics.CertificateMismatches >= 3, "the forged publisher refused three rounds", Timing.Hang);
        Assert.DoesNotContain(services.Registry.Current.MembersOf(ServiceMeta.TopicsService), m => m.Address == forged.Address);
    }

    [Fact]
    public void Cluster_mode_needs_tls_with_required_client_certificates_and_the_cluster_CA()
    {
        using var cluster = TestCertificates.Create("Cluster CA");
        RegistryOptions plain = ClusterMode(cluster, logger: null);
        plain.SurveyUrl = "tcp://127.0.0.1:0";
        Assert.Throws<ArgumentException>(() => new Registry(plain));
        RegistryOptions optional = ClusterMode(cluster, logger: null);
        optional.Tls = cluster.ServerOptions(TlsAuthMode.Optional);
        Assert.Throws<ArgumentException>(() => new Registry(optional));
        RegistryOptions noCa = ClusterMode(cluster, logger: null);
        noCa.Tls = new TlsOptions { Certificate = cluster.Server, ClientAuth = TlsAuthMode.Required };
        Assert.Throws<ArgumentException>(() => new Registry(noCa));
    }

    /// <summary>A cluster-mode registry on tls+tcp; ten missed rounds, as above, so a stall does not drop the honest members.</summary>
    private static RegistryOptions ClusterMode(TestCertificates cluster, Microsoft.Extensions.Logging.ILogger? logger)
    {
        RegistryOptions options = Timing.Options("tls+tcp://127.0.0.1:0", "tls+tcp://127.0.0.1:0");
        options.Tls = cluster.ServerOptions(TlsAuthMode.Required);
        options.RequireServiceCertificate = true;
        options.MissedRounds = 10;
        options.Logger = logger;
        return options;
    }

    /// <summary>A node's TLS: its certificate and the cluster CA; the registry's certificate names localhost.</summary>
    private static TlsOptions Member(TestCertificates cluster, X509Certificate2 certificate) =>
        new() { Certificate = certificate, CaCertificates = [cluster.Ca], ServerName = "localhost" };
}
