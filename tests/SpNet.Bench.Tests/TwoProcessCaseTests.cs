using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Tests;

/// <summary>
/// Cases run as <c>compare</c> runs them: each side a child process of its own (<c>spbench side …</c>), signals relayed
/// by the parent. Small counts; every run must deliver what it promises (no loss where the pattern has flow control).
/// </summary>
public sealed class TwoProcessCaseTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Theory]
    [InlineData(Library.SpNet, CaseKind.PairThroughput)]
    [InlineData(Library.SpNetAsync, CaseKind.PushThroughput)]
    [InlineData(Library.NetMQ, CaseKind.PairThroughput)]
    [InlineData(Library.NetMQ, CaseKind.PushThroughput)]
    internal void Throughput_receives_every_message(Library library, CaseKind kind)
    {
        var c = new BenchCase(kind, library, "tcp", 512, 3_000);
        var r = (ThroughputResult)CaseOutcome.From(c, CaseRunner.Run(c, Placement.Processes, Limit));
        Assert.Equal(3_000, r.Count);
        Assert.True(r.MessagesPerSecond > 0);
    }

    [Theory]
    [InlineData(Library.SpNet, CaseKind.PairLatency)]
    [InlineData(Library.NetMQ, CaseKind.ReqLatency)]
    internal void Latency_times_every_round_trip(Library library, CaseKind kind)
    {
        // 100 timed trips after 200 warm-ups. A NetMQ round trip is four thread hand-offs per side (its I/O threads
        // signal over loopback sockets); on a loaded 2-core machine each waits for a time slice, ~70 ms a trip at
        // load 100, so the 2,200 trips this ran before (a fixed 2,000 warm-up) took longer than the 120 s bound.
        var c = new BenchCase(kind, library, "tcp", 64, 100);
        var r = (LatencyResult)CaseOutcome.From(c, CaseRunner.Run(c, Placement.Processes, Limit));
        Assert.InRange(r.P50Microseconds, 0.1, 1_000_000);
        Assert.True(r.P99Microseconds >= r.P50Microseconds);
    }

    [Fact]
    public void Latency_against_count_averages_every_stamped_message()
    {
        var c = new BenchCase(CaseKind.StreamLatency, Library.SpNet, "tcp", 1024, 2_000);
        var r = (StreamLatencyResult)CaseOutcome.From(c, CaseRunner.Run(c, Placement.Processes, Limit));
        Assert.Equal(2_000, r.Count);
        Assert.InRange(r.MeanMicroseconds, 0.1, 60_000_000);
    }

    [Fact]
    public void Fan_out_spreads_subscribers_over_processes()
    {
        SpBench.Result result = SpBench.Run("fanout", "--subs", "4", "--processes", "2", "--count", "500", "--lib", "spnet,netmq");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"SpNet \(sync\): subscribers: 4, sent: 500, sender: \d+ \[msg/s\], delivered: \d+ \[msg/s\]", result.Output);
        Assert.Matches(@"NetMQ 4\.0\.4\.5: subscribers: 4, sent: 500", result.Output);
    }

    [Fact]
    public void Subscriptions_case_subscribes_and_receives()
    {
        SpBench.Result result = SpBench.Run("subs", "--counts", "100", "--count", "2000", "--lib", "spnet");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Matches(@"SpNet \(sync\): subscriptions: 100, subscribe: \d+ \[ms\], receiver: [1-9]\d* \[msg/s\], loss: [\d.]+ \[%\], match: [\d.]+ \[ns\]", result.Output);
    }

    [Fact]
    public void A_failing_side_fails_the_case_with_its_message()
    {
        // The listening side fails before it binds: the case ends with that side's own error at once, not a stall.
        var c = new BenchCase(CaseKind.PairThroughput, Library.SpNet, "tcp", 64, 10);
        BenchException ex = Assert.Throws<BenchException>(() =>
            CaseRunner.RunHere([new Side("receiver", (link, url) => Task.FromException(new BenchException("bind failed on purpose"))), new Side("sender", (link, url) => Task.CompletedTask)],
                Addresses.For(c.Transport), Limit));
        Assert.Contains("on purpose", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_side_that_throws_prints_one_line_and_exits_2()
    {
        // What the parent puts in the cell: the exception's type, message and the first frame outside the runtime.
        SpBench.Result result = SpBench.Run("side", "NoSuchKind", "SpNet", "tcp", "64", "10", "0", "1", "0", "0", "ms", "contexts", "0");
        Assert.Equal(2, result.ExitCode);
        Assert.Matches(@"^ArgumentException: .*NoSuchKind.* \(at .+\)\r?\n$", result.Error);
    }

    [NativeFact(nng: true, nanomsg: true)]
    public void Native_peers_run_as_two_processes_over_ipc()
    {
        foreach (Library library in new[] { Library.Nng, Library.Nanomsg })
        {
            var c = new BenchCase(CaseKind.PushThroughput, library, "ipc", 256, 2_000);
            var r = (ThroughputResult)CaseOutcome.From(c, CaseRunner.Run(c, Placement.Processes, Limit));
            Assert.Equal(2_000, r.Count);
        }
    }
}
