using SpNet.TestKit;

namespace SpNet.Tests.Transports.Tls;

/// <summary>tls+tcp:// with a throwaway CA: PEM loading and each way a handshake is refused (the patterns and a large message run in SecuredPatternTests).</summary>
public sealed class TlsTests : IClassFixture<CertificateFixture>
{
    private const string Address = "tls+tcp://localhost:0";
    private readonly TestCertificates _certs;

    public TlsTests(CertificateFixture fixture) => _certs = fixture.Value;

    [Fact]
    public async Task Certificate_and_CA_load_from_PEM_files()
    {
        using TempDirectory dir = TempDirectory.Create("spnet-tls-");
        _certs.WritePem(dir.Path);
        await using var pull = new PullSocket { Tls = TlsOptions.FromPemFiles(Path.Combine(dir.Path, "srv.pem"), Path.Combine(dir.Path, "srv.key")) };
        string url = pull.Listen(Address).Url;
        await pull.AssertPushReachesAsync(url, "pem", tls: new TlsOptions().AddCaPemFile(Path.Combine(dir.Path, "ca.pem")));
    }

    [Fact]
    public async Task Listener_without_certificate_is_refused_at_listen()
    {
        await using var pull = new PullSocket();
        var ex = Assert.Throws<SpNetException>(() => pull.Listen(Address));
        Assert.Equal(SpError.Crypto, ex.Error);
        Assert.Contains("certificate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untrusted_CA_is_refused_naming_the_cause_and_the_listener_keeps_serving()
    {
        using var other = TestCertificates.Create("Some Other CA");
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        var ex = await SocketTestExtensions.AssertDialRefusedAsync(url, SpError.PeerAuth, "untrusted root", tls: other.ClientOptions());
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        await pull.AssertPushReachesAsync(url, "good peer", tls: _certs.ClientOptions());
    }

    [Fact]
    public async Task System_store_does_not_trust_a_private_CA()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        await SocketTestExtensions.AssertDialRefusedAsync(url, SpError.PeerAuth, "untrusted root"); // no TlsOptions: system trust store, URL host as name
    }

    [Fact]
    public async Task Name_mismatch_is_refused()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        TlsOptions options = _certs.ClientOptions();
        options.ServerName = "not-localhost.example";
        await SocketTestExtensions.AssertDialRefusedAsync(url, SpError.PeerAuth, "name mismatch", tls: options);
        await pull.AssertPushReachesAsync(url, "good peer", tls: _certs.ClientOptions());
    }

    [Fact]
    public async Task Expired_server_certificate_is_refused()
    {
        using var expired = TestCertificates.Create("Expired CA", notAfter: DateTimeOffset.UtcNow.AddHours(-1));
        await using var pull = new PullSocket { Tls = expired.ServerOptions() };
        string url = pull.Listen(Address).Url;
        await SocketTestExtensions.AssertDialRefusedAsync(url, SpError.PeerAuth, "expired", tls: expired.ClientOptions());
    }

    [Fact]
    public async Task InsecureSkipVerify_accepts_an_untrusted_server()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        await pull.AssertPushReachesAsync(url, "insecure", tls: new TlsOptions { InsecureSkipVerify = true });
    }

    [Fact]
    public async Task Required_client_certificate_missing_is_refused_and_listener_keeps_serving()
    {
        var log = new CapturingLogger();
        await using var pull = new PullSocket { Tls = _certs.ServerOptions(TlsAuthMode.Required), Logger = log };
        string url = pull.Listen(Address).Url;
        await using (var anonymous = new PushSocket { Tls = _certs.ClientOptions(withClientCertificate: false) })
        {
            // With TLS 1.3 the client may finish its side before the server refuses, so the dialer sees either the
            // refusal or the connection dropping during the SP handshake; the listener names the cause.
            await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(anonymous.DialAsync(url).AsTask(), "dial"));
        }
        await Eventually.True(() => log.Contains("client certificate") && log.Contains("missing"), $"the listener logged the cause ({string.Join(" | ", log.Lines)})");
        Assert.Equal(0, pull.Statistics.PipesOpened);

        await pull.AssertPushReachesAsync(url, "mutual", tls: _certs.ClientOptions(withClientCertificate: true));
    }

    [Fact]
    public async Task Optional_client_certificate_accepts_clients_with_and_without_one()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions(TlsAuthMode.Optional) };
        string url = pull.Listen(Address).Url;
        await using var anonymous = new PushSocket { Tls = _certs.ClientOptions() };
        await using var identified = new PushSocket { Tls = _certs.ClientOptions(withClientCertificate: true) };
        await Eventually.Within(anonymous.DialAsync(url).AsTask(), "dial without a client certificate");
        await Eventually.Within(identified.DialAsync(url).AsTask(), "dial with a client certificate");
        await pull.WaitForPipeCountAsync(2);
    }

    [Fact]
    public async Task Pipe_events_carry_the_certificate_the_peer_presented()
    {
        var listenerSide = new TaskCompletionSource<PipeEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var dialerSide = new TaskCompletionSource<PipeEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var listenerRemoved = new TaskCompletionSource<PipeEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var pull = new PullSocket { Tls = _certs.ServerOptions(TlsAuthMode.Required) };
        pull.PipeAdded += (_, e) => listenerSide.TrySetResult(e);
        pull.PipeRemoved += (_, e) => listenerRemoved.TrySetResult(e);
        string url = pull.Listen(Address).Url;
        await using (var push = new PushSocket { Tls = _certs.ClientOptions(withClientCertificate: true) })
        {
            push.PipeAdded += (_, e) => dialerSide.TrySetResult(e);
            await Eventually.Within(push.DialAsync(url).AsTask(), "dial with a client certificate");
            Assert.Equal(_certs.Client.Thumbprint, (await Eventually.Within(listenerSide.Task, "the listener's PipeAdded")).RemoteCertificate?.Thumbprint);
            Assert.Equal(_certs.Server.Thumbprint, (await Eventually.Within(dialerSide.Task, "the dialer's PipeAdded")).RemoteCertificate?.Thumbprint);
        }
        // Still readable once the connection (and its TLS stream) is gone.
        PipeEventArgs removed = await Eventually.Within(listenerRemoved.Task, "the listener's PipeRemoved");
        Assert.Equal("CN=spnet-client", removed.RemoteCertificate?.Subject);

        // Without TLS there is none.
        var plainAdded = new TaskCompletionSource<PipeEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var plainPull = new PullSocket();
        plainPull.PipeAdded += (_, e) => plainAdded.TrySetResult(e);
        await using var plainPush = new PushSocket();
        await Eventually.Within(plainPush.DialAsync(plainPull.Listen("tcp://127.0.0.1:0").Url).AsTask(), "plain dial");
        Assert.Null((await Eventually.Within(plainAdded.Task, "the plain PipeAdded")).RemoteCertificate);
    }

    [Fact]
    public async Task Plaintext_client_gets_no_pipe()
    {
        await using var pull = new PullSocket { Tls = _certs.ServerOptions() };
        string url = pull.Listen(Address).Url;
        await using (var plain = new PushSocket())
        {
            string tcpUrl = $"tcp://localhost:{Addresses.PortOf(url)}";
            await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(plain.DialAsync(tcpUrl).AsTask(), "plaintext dial", TimeSpan.FromSeconds(15)));
            Assert.Equal(0, plain.Statistics.PipesOpened);
        }
        await Eventually.True(() => pull.Statistics.HandshakeFailures >= 1, $"handshake failure counted ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.PipesOpened);
        await pull.AssertPushReachesAsync(url, "good peer", tls: _certs.ClientOptions());
    }

}
