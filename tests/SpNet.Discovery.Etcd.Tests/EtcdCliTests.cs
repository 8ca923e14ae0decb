using System.Text.Json;
using SpNet.Cli.Discovery;
using SpNet.Cli.Service;
using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary><c>spcat discovery register|watch --etcd</c> and <c>spcat service … --etcd</c>, run in-process against a real etcd.</summary>
public sealed class EtcdCliTests
{
    [PeerFact(Peers.Etcd)]
    public async Task Register_and_watch_over_etcd_and_a_service_request_by_name()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1);
        string etcd = cluster.ClientUrls[0];
        using var stop = new CancellationTokenSource(Timing.Hang * 2);
        using var watchOut = new Captured();
        Task<int> watch = DiscoveryCommand.RunAsync(["watch", "--etcd", etcd], watchOut.Writer, TextWriter.Null, stop.Token);
        using var registerStop = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        Task<int> register = DiscoveryCommand.RunAsync(["register", "--etcd", etcd, "--service", "web", "--address", "tcp://10.1.2.3:80", "--meta", "zone=z1", "--ttl", "2"],
            TextWriter.Null, TextWriter.Null, registerStop.Token);
        await Eventually.True(() => Last(watchOut).Contains("\"tcp://10.1.2.3:80\"", StringComparison.Ordinal), "watch prints the member", Timing.Hang);
        using (JsonDocument line = JsonDocument.Parse(Last(watchOut)))
        {
            JsonElement member = Assert.Single(line.RootElement.GetProperty("members").EnumerateArray());
            Assert.Equal("web", member.GetProperty("service").GetString());
            Assert.Equal("z1", member.GetProperty("meta").GetProperty("zone").GetString());
        }
        await registerStop.CancelAsync();
        Assert.Equal(0, await register.WaitAsync(Timing.Hang));
        await Eventually.True(() => Last(watchOut).Contains("\"members\":[]", StringComparison.Ordinal), "watch prints the leave", Timing.Hang);

        Task<int> host = ServiceCommand.RunAsync(["host", "--service", "echo", "--etcd", etcd, "--reply", "pong"], TextWriter.Null, TextWriter.Null, TextReader.Null, stop.Token);
        var requestOut = new StringWriter();
        await Eventually.True(() => Last(watchOut).Contains("\"echo\"", StringComparison.Ordinal), "the host is listed", Timing.Hang);
        Assert.Equal(0, await ServiceCommand.RunAsync(["request", "--service", "echo", "--etcd", etcd, "--data", "ping"], requestOut, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal("pong", requestOut.ToString().Trim());

        await stop.CancelAsync();
        Assert.Equal(0, await host.WaitAsync(Timing.Hang));
        Assert.Equal(0, await watch.WaitAsync(Timing.Hang));
    }

    [PeerFact(Peers.Etcd)]
    public async Task Register_and_watch_over_etcd_with_tls_files()
    {
        using var certificates = TestCertificates.Create();
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1, certificates);
        string pem = Path.Combine(Path.GetTempPath(), $"spnet-etcd-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(pem);
        try
        {
            certificates.WritePem(pem);
            string[] etcd = ["--etcd", cluster.ClientUrls[0], "--etcd-cacert", Path.Combine(pem, "ca.pem"),
                "--etcd-cert", Path.Combine(pem, "cli.pem"), "--etcd-key", Path.Combine(pem, "cli.key")];
            using var stop = new CancellationTokenSource(Timing.Hang * 2);
            using var watchOut = new Captured();
            Task<int> watch = DiscoveryCommand.RunAsync(["watch", .. etcd], watchOut.Writer, TextWriter.Null, stop.Token);
            Task<int> register = DiscoveryCommand.RunAsync(["register", .. etcd, "--service", "web", "--address", "tcp://10.1.2.3:80"], TextWriter.Null, TextWriter.Null, stop.Token);
            await Eventually.True(() => Last(watchOut).Contains("\"tcp://10.1.2.3:80\"", StringComparison.Ordinal), "watch prints the member, over TLS", Timing.Hang);
            await stop.CancelAsync();
            Assert.Equal(0, await register.WaitAsync(Timing.Hang));
            Assert.Equal(0, await watch.WaitAsync(Timing.Hang));
        }
        finally
        {
            Directory.Delete(pem, recursive: true);
        }
    }

    [Theory]
    [InlineData("register", "--etcd", "http://127.0.0.1:1", "--survey", "tcp://127.0.0.1:2", "--service", "a", "--address", "tcp://x:1")]
    [InlineData("register", "--survey", "tcp://127.0.0.1:2", "--service", "a", "--address", "tcp://x:1", "--ttl", "3")]
    [InlineData("watch", "--etcd")]
    [InlineData("watch", "--etcd", ",")]
    [InlineData("watch", "--publish", "tcp://127.0.0.1:2", "--etcd-cacert", "ca.pem")]
    [InlineData("watch", "--etcd", "http://127.0.0.1:1", "--etcd-cert", "cli.pem")]
    public async Task Bad_etcd_arguments_exit_2(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await DiscoveryCommand.RunAsync(args, TextWriter.Null, error, CancellationToken.None));
        Assert.StartsWith("spcat discovery: ", error.ToString(), StringComparison.Ordinal);
    }

    private static string Last(Captured output) => output.Lines is [.., string last] ? last : "";
}
