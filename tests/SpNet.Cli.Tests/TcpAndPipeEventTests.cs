using SpNet.TestKit;
using static SpNet.Cli.Tests.Parsing;

namespace SpNet.Cli.Tests;

/// <summary>The spcat extensions --tcp-keepalive*, --tcp-user-timeout and --pipe-events.</summary>
public class TcpAndPipeEventTests
{
    [Fact]
    public void Defaults_set_nothing()
    {
        CatOptions o = Parse("--req0");
        TcpOptionsAssert.SetsNothing(o.Tcp);
        Assert.False(o.PipeEvents);
    }

    [Fact]
    public void Keepalive_flag_alone()
    {
        CatOptions o = Parse("--tcp-keepalive", "--pipe-events");
        Assert.True(o.Tcp.KeepAlive);
        Assert.True(o.PipeEvents);
        Assert.Equal(TimeSpan.Zero, o.Tcp.KeepAliveTime);
    }

    [Fact]
    public void Tuning_flags_parse_and_imply_keepalive()
    {
        CatOptions o = Parse("--tcp-keepalive-time", "5", "--tcp-keepalive-interval=2", "--tcp-keepalive-c:3", "--tcp-user-timeout", "1.5");
        Assert.True(o.Tcp.KeepAlive);
        Assert.Equal(TimeSpan.FromSeconds(5), o.Tcp.KeepAliveTime);
        Assert.Equal(TimeSpan.FromSeconds(2), o.Tcp.KeepAliveInterval);
        Assert.Equal(3, o.Tcp.KeepAliveRetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), o.Tcp.UserTimeout);
        Assert.False(Parse("--tcp-user-timeout", "1").Tcp.KeepAlive); // the user timeout works without keepalive
    }

    [Theory]
    [InlineData("Integer argument expected.", "--tcp-keepalive-time", "1.5")]
    [InlineData("Integer argument too large.", "--tcp-keepalive-time", "32768")]
    [InlineData("Integer argument too large.", "--tcp-keepalive-interval", "40000")]
    [InlineData("Integer argument too large.", "--tcp-keepalive-count", "128")]
    [InlineData("Integer argument expected.", "--tcp-user-timeout", "-1")]
    [InlineData("Integer argument too large.", "--tcp-user-timeout", "86401")]
    [InlineData("Option --tcp-keepalive=1 is invalid.", "--tcp-keepalive=1")]
    [InlineData("Option --tcp-k is ambiguous (specify in full).", "--tcp-k")]
    [InlineData("Option --tcp-keepalive-time requires argument.", "--tcp-keepalive-time")]
    public void Bad_values_are_usage_errors(string message, params string[] args) =>
        Assert.Equal(message, Assert.Throws<CatUsageException>(() => new ArgumentParser(Stream.Null).Parse(args)).Message);

    [Fact]
    public async Task Pipe_events_and_keepalive_flags_on_a_real_exchange()
    {
        CatRun rep = CatRun.Start("--rep0", "--listen", "tcp://127.0.0.1:0", "-v", "-D", "pong", "--count", "1", "--pipe-events",
            "--tcp-keepalive-time", "5", "--tcp-user-timeout", "2");
        string url = await rep.ListeningUrlAsync();
        CatRun req = await CatRun.CompleteAsync("--req0", "--dial", url, "-D", "ping", "-Q", "--pipe-events", "--tcp-keepalive");
        Assert.Equal(0, await req.Task);
        Assert.Equal(0, await rep.ExitCodeAsync());
        Assert.Equal("\"pong\"\n", req.Stdout.Text);
        string[] lines = req.Stderr.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches($@"^pipe: added id=\d+ remote=tcp://127\.0\.0\.1:{Addresses.PortOf(url)} endpoint={System.Text.RegularExpressions.Regex.Escape(url)}$", lines[0]);
        Assert.StartsWith("pipe: removed id=", lines[1], StringComparison.Ordinal);
        Assert.Equal(lines[0].Split(' ')[2], lines[1].Split(' ')[2]); // the same pipe id
        Assert.StartsWith("pipe: added id=", rep.Stderr.ToString(), StringComparison.Ordinal);
    }
}
