using SpNet.Cli.Service;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

/// <summary><c>spcat service …</c>, run in-process against a registry.</summary>
public sealed class ServiceCliTests
{
    [Fact]
    public async Task Host_request_broadcast_gather_tunnel_publish_and_subscribe_work_together()
    {
        // About the commands, not liveness: under .ci/stress (load ~65) a one-shot broadcast failed with exit 1
        // (SpNetException) right after a request had succeeded, the way a stall past the default 2 missed rounds
        // drops the host from the registry's view for a round. Ten rounds tolerate two-second stalls.
        RegistryOptions options = Timing.Options();
        options.MissedRounds = 10;
        await using ServiceCluster cluster = await ServiceCluster.StartAsync(options);
        string[] reg = ["--survey", cluster.Registry.SurveyUrl, "--publish", cluster.Registry.PublishUrl];
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        using var hostOut = new Captured();
        Task<int> host = ServiceCommand.RunAsync(["host", "--service", "echo", .. reg, "--echo"], hostOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        await Eventually.True(() => hostOut.Lines.Count >= 1, "host prints its address", Timing.Hang);
        Assert.StartsWith("host echo at tcp://127.0.0.1:", hostOut.Lines[0], StringComparison.Ordinal);

        using var requestOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["request", "--service", "echo", .. reg, "--data", "hi", "--count", "2"], requestOut.Writer, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(["hi", "hi"], requestOut.Lines);

        Assert.Equal(0, await ServiceCommand.RunAsync(["broadcast", "--service", "echo", .. reg, "--data", "all"], TextWriter.Null, TextWriter.Null, TextReader.Null, stop.Token));
        await Eventually.True(() => hostOut.Lines.Contains("broadcast all"), "host prints the broadcast", Timing.Hang);

        using var gatherOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["gather", "--service", "echo", .. reg, "--data", "g", "--deadline", "5"], gatherOut.Writer, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.EndsWith("\tg", Assert.Single(gatherOut.Lines), StringComparison.Ordinal);

        using var tunnelOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["tunnel", "--service", "echo", .. reg], tunnelOut.Writer, TextWriter.Null, new StringReader("one\ntwo\nthree\n"), stop.Token));
        Assert.Equal(["one", "two", "three"], tunnelOut.Lines);
        await Eventually.True(() => hostOut.Lines.Contains("tunnel 3 messages"), "host prints the tunnel", Timing.Hang);

        using var subscribeOut = new Captured();
        Task<int> subscribe = ServiceCommand.RunAsync(["subscribe", "--topic", "news", .. reg, "--count", "2"], subscribeOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        Assert.Equal(0, await ServiceCommand.RunAsync(["publish", "--topic", "news", .. reg, "--data", "flash", "--count", "2", "--interval", "0.05"], TextWriter.Null, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(0, await subscribe.WaitAsync(Timing.Hang));
        Assert.Equal(["flash", "flash"], subscribeOut.Lines);

        await stop.CancelAsync();
        Assert.Equal(0, await host.WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task Service_commands_take_several_registries_as_ordered_pairs()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using Registry second = await Timing.StartRegistryAsync();
        string[] reg = ["--survey", cluster.Registry.SurveyUrl, "--publish", cluster.Registry.PublishUrl, "--survey", second.SurveyUrl, "--publish", second.PublishUrl];
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        using var hostOut = new Captured();
        Task<int> host = ServiceCommand.RunAsync(["host", "--service", "echo", .. reg, "--reply", "pong"], hostOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        await Eventually.True(() => cluster.Registry.Current.MembersOf("echo").Count == 1 && second.Current.MembersOf("echo").Count == 1,
            "the host registers with both registries", Timing.Hang);

        // With the first registry gone, a client given both still finds the host through the second.
        await cluster.Registry.DisposeAsync();
        using var requestOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["request", "--service", "echo", .. reg, "--data", "ping"], requestOut.Writer, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(["pong"], requestOut.Lines);
        await stop.CancelAsync();
        Assert.Equal(0, await host.WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task Numbered_requests_keep_going_past_failures_and_hosts_and_publishers_listen_where_told()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        string[] reg = ["--survey", cluster.Registry.SurveyUrl, "--publish", cluster.Registry.PublishUrl];
        using var stop = new CancellationTokenSource(Timing.Hang * 3);
        using var hostOut = new Captured();
        Task<int> host = ServiceCommand.RunAsync(["host", "--service", "echo", .. reg, "--echo", "--address", "tcp://127.0.0.1:0"], hostOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        await Eventually.True(() => hostOut.Lines.Count >= 1, "host prints its address", Timing.Hang);
        Assert.StartsWith("host echo at tcp://127.0.0.1:", hostOut.Lines[0], StringComparison.Ordinal);
        await Eventually.True(() => cluster.Registry.Current.MembersOf("echo").Count == 1, "the registry lists the host", Timing.Hang);

        using var requestOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["request", "--service", "echo", .. reg, "--data", "r{n}", "--count", "3", "--interval", "0.01", "--keep-going", "--timeout", "20"],
            requestOut.Writer, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(["r1", "r2", "r3"], requestOut.Lines);

        // Without a member every request fails, one line each, and the command still ends normally.
        using var failedOut = new Captured();
        Assert.Equal(0, await ServiceCommand.RunAsync(["request", "--service", "nobody", .. reg, "--data", "x", "--count", "2", "--keep-going"],
            failedOut.Writer, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(2, failedOut.Lines.Count);
        Assert.All(failedOut.Lines, line => Assert.StartsWith("error: ", line, StringComparison.Ordinal));
        Assert.Contains("no live member of service 'nobody'", failedOut.Lines[0], StringComparison.Ordinal);

        using var subscribeOut = new Captured();
        Task<int> subscribe = ServiceCommand.RunAsync(["subscribe", "--topic", "news", .. reg, "--count", "2"], subscribeOut.Writer, TextWriter.Null, TextReader.Null, stop.Token);
        Assert.Equal(0, await ServiceCommand.RunAsync(["publish", "--topic", "news", .. reg, "--data", "m{n}", "--count", "2", "--interval", "0.05", "--address", "tcp://127.0.0.1:0"],
            TextWriter.Null, TextWriter.Null, TextReader.Null, stop.Token));
        Assert.Equal(0, await subscribe.WaitAsync(Timing.Hang));
        Assert.Equal(["m1", "m2"], subscribeOut.Lines);

        await stop.CancelAsync();
        Assert.Equal(0, await host.WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task An_unknown_service_exits_1_naming_it_and_bad_arguments_exit_2()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        string[] reg = ["--survey", cluster.Registry.SurveyUrl, "--publish", cluster.Registry.PublishUrl];
        using var error = new Captured();
        Assert.Equal(1, await ServiceCommand.RunAsync(["request", "--service", "nobody", .. reg, "--data", "x"], TextWriter.Null, error.Writer, TextReader.Null, CancellationToken.None).WaitAsync(Timing.Hang));
        Assert.Contains("no live member of service 'nobody'", error.Lines[0], StringComparison.Ordinal);
        Assert.Equal(2, await ServiceCommand.RunAsync(["request", "--service", "x", "--survey", cluster.Registry.SurveyUrl, "--data", "x"], TextWriter.Null, TextWriter.Null, TextReader.Null, CancellationToken.None));
        Assert.Equal(2, await ServiceCommand.RunAsync(["launch"], TextWriter.Null, TextWriter.Null, TextReader.Null, CancellationToken.None));
    }
}
