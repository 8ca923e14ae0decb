using System.Globalization;
using System.Text.RegularExpressions;

namespace SpNet.Bench.Tests;

/// <summary>
/// <c>spbench memory</c> on SpNet alone with small counts: each case runs its peer process, connects, and reports a
/// plausible resident set (the figures themselves come from full runs, in docs/reliability.md).
/// </summary>
public sealed partial class MemoryCommandTests
{
    [GeneratedRegex(@"^\| spcat \| tcp \| (?<before>[\d.]+) MiB \| (?<after>[\d.]+) MiB \| (?<per>-?[\d.]+) KiB \| \d+ → \d+ \|$", RegexOptions.Multiline)]
    private static partial Regex IdleRow();

    [GeneratedRegex(@"^\| SpNet \| (?<size>\d+) KiB \| (?<before>[\d.]+) MiB \| (?<peak>[\d.]+) MiB \| (?<after>[\d.]+) MiB \| (?<sent>[\d,]+) \|$", RegexOptions.Multiline)]
    private static partial Regex StalledRow();

    [GeneratedRegex(@"^\| spcat \| tcp \| (?<before>[\d.]+) MiB \| (?<peak>[\d.]+) MiB \| (?<per>-?[\d.]+) KiB \| (?<second>-?[\d.]+) KiB \| (?<third>-?[\d.]+) KiB \|$", RegexOptions.Multiline)]
    private static partial Regex TrickleRow();

    [Fact]
    public void Every_case_measures_its_peer_process()
    {
        SpBench.Result result = SpBench.Run("memory", "--connections", "40", "--subs", "2", "--transport", "tcp", "--lib", "spnet", "--settle", "1");
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}\n{result.Output}");

        Match idle = IdleRow().Match(result.Output);
        Assert.True(idle.Success, "no idle row:\n" + result.Output);
        Assert.InRange(Number(idle, "before"), 5, 500); // a .NET process: tens of MiB

        MatchCollection stalled = StalledRow().Matches(result.Output);
        Assert.Equal(["64", "1024"], stalled.Select(m => m.Groups["size"].Value));
        foreach (Match m in stalled)
        {
            Assert.True(Number(m, "peak") >= Number(m, "before"), "the peak includes the start:\n" + result.Output);
            Assert.True(long.Parse(m.Groups["sent"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) > 0, "the publisher sent nothing");
        }

        Match trickle = TrickleRow().Match(result.Output);
        Assert.True(trickle.Success, "no trickle row:\n" + result.Output);
        // 40 connections each holding a partial ~1 MB frame must not reserve it: far below 1 MB each.
        Assert.InRange(Number(trickle, "per"), -1024, 512);
        Assert.InRange(Number(trickle, "second"), -1024, 512);
        Assert.InRange(Number(trickle, "third"), -1024, 512);
    }

    private static double Number(Match m, string group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
}
