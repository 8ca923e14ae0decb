namespace SpNet.Cli.Tests;

public class DemoCommandTests
{
    [Fact]
    public async Task Demo_runs_every_pattern_over_both_transports_and_passes()
    {
        using var output = new StringWriter();
        int exit = await DemoCommand.RunAsync(["--messages", "2000", "--round-trips", "200"], output);
        string text = output.ToString();
        Assert.True(exit == 0, text);
        string[] rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)[2..^1];
        Assert.Equal(8, rows.Length);
        foreach (string pattern in new[] { "PAIR0", "PUSH/PULL", "PUB/SUB", "REQ/REP" })
        {
            foreach (string transport in new[] { "inproc", "tcp" })
            {
                Assert.Contains(rows, r => r.StartsWith(pattern, StringComparison.Ordinal) && r.Contains($" {transport} ", StringComparison.Ordinal) && r.Contains(" OK ", StringComparison.Ordinal));
            }
        }
        Assert.Contains("split ", text, StringComparison.Ordinal);
        Assert.Contains("a/ only: 1,000", text, StringComparison.Ordinal);
        Assert.Contains("µs mean RTT", text, StringComparison.Ordinal);
        Assert.Contains("all 8 checks passed", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--messages", "0")]
    [InlineData("--size", "4")]
    [InlineData("--bogus", "1")]
    [InlineData("--round-trips")]
    public async Task Bad_arguments_exit_2_with_usage(params string[] args)
    {
        using var output = new StringWriter();
        Assert.Equal(2, await DemoCommand.RunAsync(args, output));
        Assert.StartsWith("spcat demo: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage: spcat demo", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_exits_0_with_usage()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await DemoCommand.RunAsync(["--help"], output));
        Assert.StartsWith("usage: spcat demo", output.ToString(), StringComparison.Ordinal);
    }
}
