using SpNet.Cli.Discovery;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary><c>spcat discovery register|watch</c> against a registry served over <c>tls+tcp://</c>, run in-process.</summary>
public sealed class CliTlsTests
{
    [Fact]
    public async Task Register_and_watch_reach_a_registry_that_requires_client_certificates()
    {
        using var certificates = TestCertificates.Create();
        using TempDirectory directory = TempDirectory.Create("spnet-cli-tls-");
        certificates.WritePem(directory.Path);
        string Pem(string name) => Path.Combine(directory.Path, name);
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        var serveOut = new Captured();
        // serve with --cacert requires client certificates from that CA.
        Task<int> serve = DiscoveryCommand.RunAsync(
            ["serve", "--survey", "tls+tcp://localhost:0", "--publish", "tls+tcp://localhost:0", "--interval", "0.2",
             "--cert", Pem("srv.pem"), "--key", Pem("srv.key"), "--cacert", Pem("ca.pem")],
            serveOut.Writer, TextWriter.Null, stop.Token);
        await Eventually.True(() => serveOut.Lines.Count >= 2, "serve prints its bound addresses", Timing.Hang);
        string survey = serveOut.Lines[0]["survey ".Length..], publish = serveOut.Lines[1]["publish ".Length..];
        Assert.StartsWith("tls+tcp://", survey, StringComparison.Ordinal);

        string[] client = ["--cert", Pem("cli.pem"), "--key", Pem("cli.key"), "--cacert", Pem("ca.pem")];
        var registerOut = new Captured();
        Task<int> register = DiscoveryCommand.RunAsync(
            ["register", "--survey", survey, "--service", "web", "--address", "tcp://10.1.2.3:80", .. client],
            registerOut.Writer, TextWriter.Null, stop.Token);
        var watchOut = new Captured();
        Task<int> watch = DiscoveryCommand.RunAsync(["watch", "--publish", publish, .. client], watchOut.Writer, TextWriter.Null, stop.Token);

        await Eventually.True(() => watchOut.Lines.Any(l => l.Contains("\"address\":\"tcp://10.1.2.3:80\"", StringComparison.Ordinal)),
            "the watcher lists the member, both over TLS", Timing.Hang);
        Assert.Contains(serveOut.Lines, l => l.EndsWith(": 1 members in 1 services", StringComparison.Ordinal));

        await stop.CancelAsync();
        Assert.Equal(0, await serve.WaitAsync(Timing.Hang));
        Assert.Equal(0, await register.WaitAsync(Timing.Hang));
        Assert.Equal(0, await watch.WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task Register_and_watch_trusting_another_CA_are_refused()
    {
        using var certificates = TestCertificates.Create();
        using var other = TestCertificates.Create("Other CA");
        using TempDirectory directory = TempDirectory.Create("spnet-cli-tls-");
        certificates.WritePem(directory.Path);
        string otherCa = Path.Combine(directory.Path, "other-ca.pem");
        File.WriteAllText(otherCa, other.Ca.ExportCertificatePem());
        string Pem(string name) => Path.Combine(directory.Path, name);

        RegistryOptions options = Timing.Options("tls+tcp://localhost:0", "tls+tcp://localhost:0");
        options.Tls = certificates.ServerOptions(TlsAuthMode.Required);
        // This test is about which CA gets through, not liveness: with the default 2 missed rounds, a loaded machine
        // delayed web's answers past two 100 ms survey deadlines within the five rounds below, and the view read empty.
        options.MissedRounds = (int)(Timing.Hang / Timing.Interval);
        await using var registry = new Registry(options);
        await registry.StartAsync();
        using var stop = new CancellationTokenSource(Timing.Hang * 3);

        // A client certificate the registry accepts, but a CA the registry's certificate does not chain to: each
        // end refuses the handshake, so neither the member nor the watcher gets through.
        string[] wrongCa = ["--cert", Pem("cli.pem"), "--key", Pem("cli.key"), "--cacert", otherCa];
        Task<int> rogue = DiscoveryCommand.RunAsync(
            ["register", "--survey", registry.SurveyUrl, "--service", "rogue", "--address", "tcp://10.9.9.9:1", .. wrongCa],
            TextWriter.Null, TextWriter.Null, stop.Token);
        var blindOut = new Captured();
        Task<int> blind = DiscoveryCommand.RunAsync(["watch", "--publish", registry.PublishUrl, .. wrongCa], blindOut.Writer, TextWriter.Null, stop.Token);

        // The same commands with the right CA get through, so the wrong one is what refused the others.
        string[] rightCa = ["--cert", Pem("cli.pem"), "--key", Pem("cli.key"), "--cacert", Pem("ca.pem")];
        Task<int> web = DiscoveryCommand.RunAsync(
            ["register", "--survey", registry.SurveyUrl, "--service", "web", "--address", "tcp://10.1.2.3:80", .. rightCa],
            TextWriter.Null, TextWriter.Null, stop.Token);
        var seeingOut = new Captured();
        Task<int> seeing = DiscoveryCommand.RunAsync(["watch", "--publish", registry.PublishUrl, .. rightCa], seeingOut.Writer, TextWriter.Null, stop.Token);
        await Eventually.True(() => seeingOut.Lines.Any(l => l.Contains("\"web\"", StringComparison.Ordinal)), "the right CA's watcher lists web", Timing.Hang);
        long rounds = registry.Statistics.Rounds;
        await Eventually.True(() => registry.Statistics.Rounds >= rounds + 5, "five more survey rounds", Timing.Hang);

        Assert.Equal(["web"], registry.Current.Services);
        Assert.Empty(blindOut.Lines);
        Assert.DoesNotContain(seeingOut.Lines, l => l.Contains("rogue", StringComparison.Ordinal));

        await stop.CancelAsync();
        foreach (Task<int> command in (Task<int>[])[rogue, blind, web, seeing])
        {
            Assert.Equal(0, await command.WaitAsync(Timing.Hang));
        }
    }

    [Theory]
    [InlineData("watch", "--etcd", "http://127.0.0.1:1", "--cacert", "ca.pem")]
    [InlineData("register", "--etcd", "http://127.0.0.1:1", "--service", "a", "--address", "tcp://x:1", "--cert", "c.pem", "--key", "c.key")]
    [InlineData("watch", "--publish", "tls+tcp://127.0.0.1:1", "--cert", "c.pem")]
    public async Task Registry_TLS_flags_that_do_not_fit_exit_2(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await DiscoveryCommand.RunAsync(args, TextWriter.Null, error, CancellationToken.None).WaitAsync(Timing.Hang));
        Assert.StartsWith("spcat discovery: ", error.ToString(), StringComparison.Ordinal);
    }
}
