using System.Text.Json;
using SpNet.Cli.Discovery;
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
    public async Task Watch_count_ends_after_n_snapshots()
    {
        await using var registry = new Registry(Timing.Options());
        await registry.StartAsync();
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
    public async Task Bad_arguments_exit_2_with_a_reason(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await DiscoveryCommand.RunAsync(args, TextWriter.Null, error, CancellationToken.None));
        Assert.StartsWith("spcat discovery: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Address_in_use_exits_1()
    {
        await using var registry = new Registry(Timing.Options());
        await registry.StartAsync();
        var error = new StringWriter();
        Assert.Equal(1, await DiscoveryCommand.RunAsync(["serve", "--survey", registry.SurveyUrl, "--publish", "tcp://127.0.0.1:0"], TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("AddressInUse", error.ToString(), StringComparison.Ordinal);
    }
}
