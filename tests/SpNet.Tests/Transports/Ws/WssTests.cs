using SpNet.TestKit;

namespace SpNet.Tests.Transports.Ws;

/// <summary>wss:// with a throwaway CA: a shared port and refused handshakes (the patterns and a large message run in SecuredPatternTests).</summary>
public sealed class WssTests : IClassFixture<CertificateFixture>
{
    private const string Address = "wss://localhost:0/sp";
    private readonly TestCertificates _certs;

    public WssTests(CertificateFixture fixture) => _certs = fixture.Value;

    [Fact]
    public async Task Listener_without_certificate_is_refused_at_listen()
    {
        await using var pull = new PullSocket();
        var ex = Assert.Throws<SpNetException>(() => pull.Listen(Address));
        Assert.Equal(SpError.Crypto, ex.Error);
    }

    [Fact]
    public async Task Two_wss_listeners_share_a_port_and_ws_cannot_join_it()
    {
        await using var a = new PullSocket { Tls = _certs.ServerOptions() };
        await using var b = new PullSocket { Tls = _certs.ServerOptions() };
        string urlA = a.Listen("wss://localhost:0/a").Url;
        int port = Addresses.PortOf(urlA);
        string urlB = b.Listen($"wss://localhost:{port}/b").Url;
        await a.AssertPushReachesAsync(urlA, "good peer", tls: _certs.ClientOptions());
        await b.AssertPushReachesAsync(urlB, "good peer", tls: _certs.ClientOptions());

        await using var plain = new PullSocket();
        var ex = Assert.Throws<SpNetException>(() => plain.Listen($"ws://localhost:{port}/c"));
        Assert.Equal(SpError.AddressInUse, ex.Error);
    }

    [Fact]
    public async Task Untrusted_CA_is_refused_naming_the_cause_and_the_listener_keeps_serving()
    {
        using var other = TestCertificates.Create("Some Other CA");
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        await SocketTestExtensions.AssertDialRefusedAsync(url, SpError.PeerAuth, url, tls: other.ClientOptions());
        await pull.AssertPushReachesAsync(url, "good peer", tls: _certs.ClientOptions());
    }

    [Fact]
    public async Task A_plain_ws_client_gets_no_pipe_and_the_failure_is_counted()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions(), HandshakeTimeout = TimeSpan.FromSeconds(1) };
        string url = pull.Listen(Address).Url;
        await using (var plain = new PushSocket { HandshakeTimeout = TimeSpan.FromSeconds(1) })
        {
            await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(plain.DialAsync(url.Replace("wss://", "ws://", StringComparison.Ordinal)).AsTask(), "dial", TimeSpan.FromSeconds(5)));
        }
        await Eventually.True(() => pull.Statistics.HandshakeFailures >= 1, $"TLS failure counted ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.PipesOpened);
        await pull.AssertPushReachesAsync(url, "good peer", tls: _certs.ClientOptions());
    }

    [Fact]
    public async Task Required_client_certificate_missing_is_refused_and_logged()
    {
        var log = new CapturingLogger();
        await using var pull = new PullSocket { Tls = _certs.ServerOptions(TlsAuthMode.Required), Logger = log };
        string url = pull.Listen(Address).Url;
        await using (var anonymous = new PushSocket { Tls = _certs.ClientOptions(withClientCertificate: false) })
        {
            await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(anonymous.DialAsync(url).AsTask(), "dial"));
        }
        await Eventually.True(() => log.Contains("client certificate"), $"the listener logged the cause ({string.Join(" | ", log.Lines)})");
        Assert.Equal(0, pull.Statistics.PipesOpened);
        await pull.AssertPushReachesAsync(url, "with certificate", tls: _certs.ClientOptions(withClientCertificate: true));
    }
}
