using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SpNet.Cli.Discovery;
using SpNet.Cli.Service;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary><c>spcat discovery serve|register|watch</c>, run in-process.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Serve_register_and_watch_work_together()
    {
        using var stop = new CancellationTokenSource(Timing.Hang * 2);
        var serveOut = new Captured();
        Task<int> serve = DiscoveryCommand.RunAsync(["serve", "--survey", "tcp://127.0.0.1:0", "--publish", "tcp://127.0.0.1:0", "--interval", "0.2"], serveOut.Writer, TextWriter.Null, stop.Token);
        await Eventually.True(() => serveOut.Lines.Count >= 2, "serve prints its bound addresses", Timing.Hang);
        string survey = serveOut.Lines[0]["survey ".Length..], publish = serveOut.Lines[1]["publish ".Length..];
        Assert.DoesNotContain(":0", survey[^2..], StringComparison.Ordinal);

        var watchOut = new Captured();
        Task<int> watch = DiscoveryCommand.RunAsync(["watch", "--publish", publish], watchOut.Writer, TextWriter.Null, stop.Token);
        using var registerStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var registerOut = new Captured();
        Task<int> register = DiscoveryCommand.RunAsync(["register", "--survey", survey, "--service", "web", "--address", "tcp://10.1.2.3:80", "--meta", "zone=z1", "--meta", "v=2"],
            registerOut.Writer, TextWriter.Null, registerStop.Token);
        await Eventually.True(() => watchOut.Lines.Any(l => l.Contains("\"web\"", StringComparison.Ordinal)), "watch prints the new member", Timing.Hang);
        Assert.Equal("""{"service":"web","address":"tcp://10.1.2.3:80","meta":{"zone":"z1","v":"2"}}""", registerOut.Lines[0]);
        using (JsonDocument line = JsonDocument.Parse(watchOut.Lines[^1]))
        {
            JsonElement member = Assert.Single(line.RootElement.GetProperty("members").EnumerateArray());
            Assert.Equal("web", member.GetProperty("service").GetString());
            Assert.Equal("tcp://10.1.2.3:80", member.GetProperty("address").GetString());
            Assert.True(line.RootElement.GetProperty("version").GetInt64() >= 1);
        }
        await Eventually.True(() => serveOut.Lines.Any(l => l.Contains("1 members", StringComparison.Ordinal)), "serve reports the change", Timing.Hang);

        await registerStop.CancelAsync();
        Assert.Equal(0, await register.WaitAsync(Timing.Hang));
        await Eventually.True(() => watchOut.Lines[^1].Contains("\"members\":[]", StringComparison.Ordinal), "watch prints the removal", Timing.Hang);
        int changes = watchOut.Lines.Count;

        await stop.CancelAsync();
        Assert.Equal(0, await serve.WaitAsync(Timing.Hang));
        Assert.Equal(0, await watch.WaitAsync(Timing.Hang));
        Assert.Equal(changes, watchOut.Lines.Count); // repeats are not printed
    }

    [Fact]
    public async Task Serve_in_cluster_mode_lists_a_host_only_when_its_certificate_names_its_service()
    {
        using var cluster = TestCertificates.Create("Cluster CA");
        using X509Certificate2 billing = cluster.IssueMember("billing");
        using X509Certificate2 payroll = cluster.IssueMember("payroll");
        using TempDirectory directory = TempDirectory.Create("spnet-cluster-");
        cluster.WritePem(directory.Path);
        string billingPem = WriteMemberPem(directory.Path, "billing", billing);
        string ca = Path.Combine(directory.Path, "ca.pem");
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        var serveOut = new Captured();
        Task<int> serve = DiscoveryCommand.RunAsync(
            ["serve", "--survey", "tls+tcp://localhost:0", "--publish", "tls+tcp://localhost:0", "--interval", "0.2",
             "--cert", Path.Combine(directory.Path, "srv.pem"), "--key", Path.Combine(directory.Path, "srv.key"), "--cacert", ca, "--cluster"],
            serveOut.Writer, TextWriter.Null, stop.Token);
        await Eventually.True(() => serveOut.Lines.Count >= 2, "serve prints its bound addresses", Timing.Hang);
        string survey = serveOut.Lines[0]["survey ".Length..], publish = serveOut.Lines[1]["publish ".Length..];

        // A cluster member whose certificate names payroll, registering as billing: it answers, and is not listed.
        await using var impostor = ServiceRegistration.Start(survey, new ServiceMember("billing", "tcp://127.0.0.1:9"),
            tls: new TlsOptions { Certificate = payroll, CaCertificates = [cluster.Ca] });
        await Eventually.True(() => impostor.Renewals >= 3, "the impostor answered three surveys", Timing.Hang);

        using var hostOut = new Captured();
        Task<int> host = ServiceCommand.RunAsync(
            ["host", "--service", "billing", "--survey", survey, "--publish", publish, "--echo", "--cert", billingPem, "--key", billingPem[..^4] + ".key", "--cacert", ca],
            hostOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        await Eventually.True(() => serveOut.Lines.Any(l => l.EndsWith(": 1 members in 1 services", StringComparison.Ordinal)), "serve lists the genuine host", Timing.Hang);
        long answered = impostor.Renewals;
        await Eventually.True(() => impostor.Renewals >= answered + 3, "three more answers from the impostor", Timing.Hang);
        Assert.DoesNotContain(serveOut.Lines, l => l.Contains("2 members", StringComparison.Ordinal));

        await stop.CancelAsync();
        Assert.Equal(0, await serve.WaitAsync(Timing.Hang));
        Assert.Equal(0, await host.WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task Serve_in_cluster_mode_without_a_CA_exits_2()
    {
        using var error = new Captured();
        using var cluster = TestCertificates.Create("Cluster CA");
        using TempDirectory directory = TempDirectory.Create("spnet-cluster-");
        cluster.WritePem(directory.Path);
        Assert.Equal(2, await DiscoveryCommand.RunAsync(
            ["serve", "--survey", "tls+tcp://localhost:0", "--publish", "tls+tcp://localhost:0",
             "--cert", Path.Combine(directory.Path, "srv.pem"), "--key", Path.Combine(directory.Path, "srv.key"), "--cluster"],
            TextWriter.Null, error.Writer, CancellationToken.None).WaitAsync(Timing.Hang));
        Assert.Contains("RequireServiceCertificate", string.Join('\n', error.Lines), StringComparison.Ordinal);
    }

    /// <summary>Writes NAME.pem and NAME.key (PEM) for spcat's --cert and --key; returns the .pem path.</summary>
    private static string WriteMemberPem(string directory, string name, X509Certificate2 certificate)
    {
        string pem = Path.Combine(directory, $"{name}.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, $"{name}.key"), certificate.GetRSAPrivateKey()!.ExportRSAPrivateKeyPem());
        return pem;
    }

    [Fact]
    public async Task Watch_follows_two_registries_and_register_announces_to_each_given()
    {
        await using var first = new Registry(Timing.Options());
        await using var second = new Registry(Timing.Options());
        await first.StartAsync();
        await second.StartAsync();
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        var watchOut = new Captured();
        Task<int> watch = DiscoveryCommand.RunAsync(["watch", "--publish", first.PublishUrl, "--publish", second.PublishUrl], watchOut.Writer, TextWriter.Null, stop.Token);
        // One member per registry, and one (given as survey/publish pairs, in order) with both.
        Task<int> onlyFirst = DiscoveryCommand.RunAsync(["register", "--survey", first.SurveyUrl, "--service", "web", "--address", "tcp://10.0.0.1:80"], TextWriter.Null, TextWriter.Null, stop.Token);
        Task<int> onlySecond = DiscoveryCommand.RunAsync(["register", "--survey", second.SurveyUrl, "--service", "web", "--address", "tcp://10.0.0.2:80"], TextWriter.Null, TextWriter.Null, stop.Token);
        Task<int> both = DiscoveryCommand.RunAsync(["register", "--survey", first.SurveyUrl, "--publish", first.PublishUrl, "--survey", second.SurveyUrl, "--publish", second.PublishUrl,
            "--service", "web", "--address", "tcp://10.0.0.3:80"], TextWriter.Null, TextWriter.Null, stop.Token);
        await Eventually.True(() => Addresses(watchOut).SetEquals(["tcp://10.0.0.1:80", "tcp://10.0.0.2:80", "tcp://10.0.0.3:80"]), "watch prints the members of both registries, merged", Timing.Hang);
        await Eventually.True(() => first.Current.Members.Count == 2 && second.Current.Members.Count == 2, "each registry lists its own member and the shared one", Timing.Hang);

        // A member is gone only when gone from every registry: losing the first takes only its own member.
        await first.DisposeAsync();
        await Eventually.True(() => Addresses(watchOut).SetEquals(["tcp://10.0.0.2:80", "tcp://10.0.0.3:80"]), "watch drops only the member the lost registry alone listed", Timing.Hang);

        await stop.CancelAsync();
        int[] exits = await Task.WhenAll(watch, onlyFirst, onlySecond, both).WaitAsync(Timing.Hang);
        Assert.All(exits, code => Assert.Equal(0, code));
    }

    private static HashSet<string> Addresses(Captured output)
    {
        IReadOnlyList<string> lines = output.Lines;
        if (lines.Count == 0)
        {
            return [];
        }
        using JsonDocument line = JsonDocument.Parse(lines[^1]);
        return [.. line.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("address").GetString()!)];
    }

    [Fact]
    public async Task Watch_count_ends_after_n_snapshots()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        var output = new Captured();
        Assert.Equal(0, await DiscoveryCommand.RunAsync(["watch", "--publish", registry.PublishUrl, "--count", "1"], output.Writer, TextWriter.Null, CancellationToken.None).WaitAsync(Timing.Hang));
        Assert.StartsWith("{\"epoch\":", Assert.Single(output.Lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("serve", "--survey", "tcp://127.0.0.1:0")]
    [InlineData("serve", "--survey", "tcp://127.0.0.1:0", "--publish", "tcp://127.0.0.1:0", "--interval", "abc")]
    [InlineData("register", "--survey", "tcp://127.0.0.1:1", "--service", "a", "--address", "tcp://x:1", "--meta", "novalue")]
    [InlineData("watch", "--publish")]
    [InlineData("watch", "--bogus", "1")]
    [InlineData("watch", "--survey", "tcp://127.0.0.1:1")]
    [InlineData("watch", "--publish", "tcp://127.0.0.1:1", "--publish", "tcp://127.0.0.1:2", "--survey", "tcp://127.0.0.1:3")]
    [InlineData("register", "--publish", "tcp://127.0.0.1:1", "--service", "a", "--address", "tcp://x:1")]
    [InlineData("register", "--survey", "tcp://127.0.0.1:1", "--survey", "tcp://127.0.0.1:2", "--publish", "tcp://127.0.0.1:3", "--service", "a", "--address", "tcp://x:1")]
    public async Task Bad_arguments_exit_2_with_a_reason(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await DiscoveryCommand.RunAsync(args, TextWriter.Null, error, CancellationToken.None));
        Assert.StartsWith("spcat discovery: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_in_use_exits_1()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        var error = new StringWriter();
        Assert.Equal(1, await DiscoveryCommand.RunAsync(["serve", "--survey", registry.SurveyUrl, "--publish", "tcp://127.0.0.1:0"], TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("AddressInUse", error.ToString(), StringComparison.Ordinal);
    }
}
