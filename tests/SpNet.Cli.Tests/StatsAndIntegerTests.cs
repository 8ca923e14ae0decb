using System.Net;
using SpNet.TestKit;

namespace SpNet.Cli.Tests;

public class StatsAndIntegerTests
{
    [Fact]
    public async Task Stats_come_before_the_error_line_which_stays_last()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        CatRun run = await CatRun.CompleteAsync("--stats", "--req0", "--dial", $"tcp://127.0.0.1:{port}", "-Dx");
        Assert.Equal(1, await run.Task);
        string[] lines = run.Stderr.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.All(lines[..5], l => Assert.StartsWith("stats: ", l, StringComparison.Ordinal));
        Assert.Equal("stats: connects attempts=1 failed=1", lines[4]);
        Assert.Equal($"Unable to dial on tcp://127.0.0.1:{port}: Connection refused", lines[5]);
    }

    [Fact]
    public async Task Stats_count_the_exchange()
    {
        string url = Addresses.Inproc("stats");
        CatRun rep = CatRun.Start("--rep0", "--listen", url, "-D", "pong", "--count", "1", "--stats", "-v");
        await rep.ListeningUrlAsync();
        CatRun req = await CatRun.CompleteAsync("--req0", "--dial", url, "-D", "ping", "-Q", "--stats");
        Assert.Equal(0, await req.Task);
        Assert.Equal(0, await rep.ExitCodeAsync());
        Assert.Equal("\"pong\"\n", req.Stdout.Text);
        string stats = req.Stderr.ToString();
        Assert.Contains("stats: pipes opened=1 ", stats, StringComparison.Ordinal);
        Assert.Contains("stats: messages sent=1 received=1 dropped=0\n", stats, StringComparison.Ordinal);
        Assert.Contains("stats: messages sent=1 received=1 dropped=0\n", rep.Stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_block_is_five_lines_of_counters()
    {
        string text = CatApp.FormatStats(new PairSocket().Statistics);
        Assert.Equal(
            "stats: pipes opened=0 closed=0 rejected=0\nstats: messages sent=0 received=0 dropped=0\nstats: bytes sent=0 received=0\n" +
            "stats: errors protocol=0 oversized=0 handshake=0 connection=0\nstats: connects attempts=0 failed=0\n", text);
    }

    // nngcat's intarg() accumulates in a C int: it wraps at 32 bits, and ends negative as "overflow".
    [Theory]
    [InlineData("2147483647", 2147483647)]
    [InlineData("4294967297", 1)]
    [InlineData("99999999999", 1215752191)]
    public void Integer_wraps_like_nngcat(string text, int expected) =>
        Assert.Equal(expected, ArgumentParser.ParseInteger(text, int.MaxValue));

    [Theory]
    [InlineData("2147483648", "Integer argument overflow.")]
    [InlineData("21474836470", "Integer argument overflow.")]
    [InlineData("65537", "Integer argument too large.")]
    public void Integer_errors_like_nngcat(string text, string message)
    {
        int max = text == "65537" ? 65536 : int.MaxValue;
        var ex = Assert.Throws<CatUsageException>(() => ArgumentParser.ParseInteger(text, max));
        Assert.Equal(message, ex.Message);
    }
}
