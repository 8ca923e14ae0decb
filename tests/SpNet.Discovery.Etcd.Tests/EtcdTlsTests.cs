using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>etcd serving https and requiring client certificates (--client-cert-auth): only holders of a certificate from its CA get in.</summary>
public sealed class EtcdTlsTests
{
    [PeerFact(Peers.Etcd)]
    public async Task Over_tls_with_client_certificates_only_holders_of_one_from_the_ca_register_and_watch()
    {
        using var certificates = TestCertificates.Create();
        using var strangers = TestCertificates.Create("Another CA");
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1, certificates);
        Assert.StartsWith("https://", cluster.ClientUrls[0], StringComparison.Ordinal);

        EtcdBackendOptions Options(TlsOptions tls) => new() { Endpoints = cluster.ClientUrls, LeaseTtl = Timing.LeaseTtl, Tls = tls };
        using var trusted = new EtcdBackend(Options(certificates.ClientOptions(withClientCertificate: true)));
        using var noCertificate = new EtcdBackend(Options(certificates.ClientOptions(withClientCertificate: false)));
        using var otherCa = new EtcdBackend(Options(strangers.ClientOptions(withClientCertificate: true)));
        await using var client = DiscoveryClient.Start(trusted);
        await using var blind = DiscoveryClient.Start(otherCa);
        await using ServiceRegistration refused = ServiceRegistration.Start(noCertificate, new ServiceMember("kv", "tcp://10.0.0.66:1"));
        await using ServiceRegistration refusedToo = ServiceRegistration.Start(otherCa, new ServiceMember("kv", "tcp://10.0.0.67:1"));
        await using ServiceRegistration member = ServiceRegistration.Start(trusted, new ServiceMember("kv", "tcp://10.0.0.1:1"));
        await client.WaitForAsync(s => s.MembersOf("kv").Count >= 1, Timing.Within(Timing.Hang));

        // The refused ones started first; by the time a later member is listed, they have had their chance.
        await using ServiceRegistration later = ServiceRegistration.Start(trusted, new ServiceMember("kv", "tcp://10.0.0.2:1"));
        ServiceSnapshot snapshot = await client.WaitForAsync(s => s.MembersOf("kv").Count >= 2, Timing.Within(Timing.Hang));
        Assert.Equal(["tcp://10.0.0.1:1", "tcp://10.0.0.2:1"], snapshot.Members.Select(m => m.Address).Order());
        await Eventually.True(() => member.IsConnected, "the trusted member is connected", Timing.Hang);
        Assert.False(refused.IsConnected);
        Assert.False(refusedToo.IsConnected);
        Assert.Equal(0, blind.SnapshotsReceived);
    }
}
