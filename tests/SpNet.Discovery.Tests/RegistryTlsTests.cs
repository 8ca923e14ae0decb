using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

public sealed class RegistryTlsTests
{
    [Fact]
    public async Task A_registry_over_tls_with_client_certificates_lists_a_member_that_has_one()
    {
        using var certificates = TestCertificates.Create();
        RegistryOptions options = Timing.Options("tls+tcp://127.0.0.1:0", "tls+tcp://127.0.0.1:0");
        options.Tls = certificates.ServerOptions(TlsAuthMode.Required);
        await using var registry = new Registry(options);
        await registry.StartAsync();

        TlsOptions member = certificates.ClientOptions(withClientCertificate: true);
        member.ServerName = "localhost";
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl, tls: member);
        await using var registration = ServiceRegistration.Start(registry.SurveyUrl, new ServiceMember("cache", "tcp://127.0.0.1:5555"), tls: member);
        await discovery.WaitForAsync(s => s.MembersOf("cache").Count == 1, Timing.Within(Timing.Hang));

        // Without a client certificate the registry refuses the connection: never listed.
        TlsOptions anonymous = certificates.ClientOptions();
        anonymous.ServerName = "localhost";
        await using var stranger = ServiceRegistration.Start(registry.SurveyUrl, new ServiceMember("cache", "tcp://127.0.0.1:6666"), tls: anonymous);
        await Eventually.True(() => registry.Statistics.Rounds >= 5, "five survey rounds", Timing.Hang);
        Assert.Equal(["tcp://127.0.0.1:5555"], registry.Current.MembersOf("cache").Select(m => m.Address));
        Assert.False(stranger.IsConnected);
    }
}
