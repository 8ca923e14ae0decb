using System.Globalization;
using System.Text.RegularExpressions;

namespace SpNet.Bench.Tests;

/// <summary>
/// <c>spbench reqrep</c>: C REQ clients against one REP with worker contexts. Small counts, bounded by trips (and
/// the command's own stall limit); every run must finish with real round trips and nothing lost or mismatched.
/// </summary>
public sealed partial class ReqRepCommandTests
{
    [GeneratedRegex(@"^(?<lib>[^:]+): clients: (?<clients>[^,]+), workers: (?<workers>\d+), round trips: (?<trips>\d+) in (?<seconds>[\d.]+) \[s\], rate: (?<rate>\d+) \[trips/s\], latency p50: (?<p50>[\d.]+) p99: (?<p99>[\d.]+) p99\.9: (?<p999>[\d.]+) \[ms\], lost: (?<lost>\d+), mismatched: (?<mismatched>\d+), allocated: \d+ \[B/trip\] \(REQ \d+ \+ REP \d+\)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();

    [Theory]
    [InlineData("spnet")]
    [InlineData("spnet-async")]
    public void Contexts_on_one_req_socket_complete_every_trip(string library)
    {
        Match m = Single(SpBench.Run("reqrep", "--clients", "50", "--workers", "4", "--trips", "3000", "--lib", library));
        AssertClean(m, trips: 3000);
        Assert.Equal("50 contexts on 1 REQ socket", m.Groups["clients"].Value);
    }

    [Fact]
    public void Separate_req_sockets_complete_every_trip()
    {
        Match m = Single(SpBench.Run("reqrep", "--clients", "20", "--sockets", "--trips", "1000", "--lib", "spnet-async"));
        AssertClean(m, trips: 1000);
        Assert.Equal("20 REQ sockets", m.Groups["clients"].Value);
    }

    [Fact]
    public void A_timed_run_lasts_its_time()
    {
        Match m = Single(SpBench.Run("reqrep", "--clients", "10", "--workers", "2", "--seconds", "1", "--transport", "inproc", "--lib", "spnet-async"));
        AssertClean(m, trips: null);
        Assert.InRange(double.Parse(m.Groups["seconds"].Value, CultureInfo.InvariantCulture), 0.9, 60);
    }

    [NativeFact]
    public void Nng_contexts_complete_every_trip()
    {
        Match m = Single(SpBench.Run("reqrep", "--clients", "50", "--workers", "4", "--trips", "2000", "--lib", "nng"));
        AssertClean(m, trips: 2000);
        m = Single(SpBench.Run("reqrep", "--clients", "10", "--sockets", "--trips", "500", "--lib", "nng"));
        AssertClean(m, trips: 500);
    }

    [Fact]
    public void Nanomsg_and_NetMQ_are_not_applicable_and_say_why()
    {
        SpBench.Result result = SpBench.Run("reqrep", "--clients", "10", "--trips", "10", "--lib", "nanomsg,netmq");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("nanomsg 1.1.5: n/a (nanomsg 1.1.5 has no contexts", result.Output, StringComparison.Ordinal);
        Assert.Contains("NetMQ 4.0.4.5: n/a (NetMQ 4.0.4.5 has no contexts", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_fail_with_a_message()
    {
        SpBench.Result result = SpBench.Run("reqrep", "--seconds", "1", "--trips", "10", "--lib", "spnet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--seconds or --trips", result.Error, StringComparison.Ordinal);
        result = SpBench.Run("reqrep", "--size", "8", "--trips", "10", "--lib", "spnet");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--size must be at least 12", result.Error, StringComparison.Ordinal);
        Assert.Contains("reqrep [--clients 1000]", SpBench.Run("--help").Output, StringComparison.Ordinal);
    }

    private static Match Single(SpBench.Result result)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}\n{result.Output}");
        MatchCollection matches = ResultLine().Matches(result.Output.ReplaceLineEndings("\n"));
        Assert.True(matches.Count == 1, "unexpected output:\n" + result.Output);
        return matches[0];
    }

    private static void AssertClean(Match m, long? trips)
    {
        long done = long.Parse(m.Groups["trips"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(0, long.Parse(m.Groups["lost"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(0, long.Parse(m.Groups["mismatched"].Value, CultureInfo.InvariantCulture));
        if (trips is long expected)
        {
            Assert.Equal(expected, done);
        }
        Assert.True(done > 0, "no round trips");
        Assert.True(long.Parse(m.Groups["rate"].Value, CultureInfo.InvariantCulture) > 0, "rate 0");
        Assert.True(double.Parse(m.Groups["p50"].Value, CultureInfo.InvariantCulture) > 0, "p50 0");
        Assert.True(double.Parse(m.Groups["p999"].Value, CultureInfo.InvariantCulture) >= double.Parse(m.Groups["p50"].Value, CultureInfo.InvariantCulture));
    }
}
