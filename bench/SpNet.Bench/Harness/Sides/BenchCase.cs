using System.Globalization;

namespace SpNet.Bench.Harness.Sides;

/// <summary>What a case measures.</summary>
internal enum CaseKind
{
    PairThroughput,
    PushThroughput,
    PairLatency,
    ReqLatency,
    StreamLatency,
    PubSub,
    PubSubPaced,
    FanOut,
    Subscriptions,
    ReqRep,
}

/// <summary>
/// One case of one library, complete enough to start any of its sides in a fresh process (it travels on the command
/// line of <c>spbench side</c>).
/// </summary>
/// <param name="Count">Messages, round trips, or (ReqRep) milliseconds the run lasts.</param>
/// <param name="Parameter">Paced rate (msg/s), subscriptions, fan-out subscribers, or REQ clients.</param>
/// <param name="Processes">Subscriber processes in a fan-out.</param>
/// <param name="Depth">PUB/SUB queue depth in messages (0: <see cref="PubSubQueueDepth"/>, fan-out 128).</param>
/// <param name="Workers">REP worker contexts (0: <see cref="ReqRepWorkers"/>).</param>
/// <param name="ByTrips">ReqRep: <paramref name="Count"/> is a number of round trips, not milliseconds.</param>
/// <param name="Sockets">ReqRep: a REQ socket per client instead of contexts on one.</param>
internal sealed record BenchCase(
    CaseKind Kind,
    Library Library,
    string Transport,
    int Size,
    int Count,
    int Parameter = 0,
    int Processes = 1,
    int Depth = 0,
    int Workers = 0,
    bool ByTrips = false,
    bool Sockets = false)
{
    /// <summary>Send and receive queue depth of the PUB/SUB runs: NNG's largest, so that a subscriber that keeps up loses nothing to scheduling hiccups.</summary>
    public const int PubSubQueueDepth = 8192;

    /// <summary>REP worker contexts in the req/rep run.</summary>
    public const int ReqRepWorkers = 16;

    /// <summary>Longest wait for one message in the throughput and latency runs.</summary>
    public const int TimeoutMs = 10_000;

    /// <summary>Untimed round trips before a latency run (long enough for tiered JIT to settle in a fresh process).</summary>
    public const int LatencyWarmUp = 2_000;

    /// <summary>
    /// Untimed round trips before a latency run of <paramref name="trips"/>: <see cref="LatencyWarmUp"/>, but no more
    /// than twice the timed trips, so a short run (the tests') is not mostly warm-up. Every compare run (1,000 or
    /// 10,000 trips) warms up with the full 2,000.
    /// </summary>
    public static int LatencyWarmUpFor(int trips) => Math.Min(LatencyWarmUp, 2 * trips);

    /// <summary>Untimed messages before a throughput run: a tenth of the run, so a fresh process has tiered up.</summary>
    public int ThroughputWarmUp => Math.Min(Count / 10, 30_000);

    public string Describe() => Kind switch
    {
        CaseKind.PubSub => $"pub/sub {Transport} {Count:N0}x{Size} B {Patterns.DisplayName(Library)}",
        CaseKind.PubSubPaced => $"pub/sub {Transport} paced {Parameter:N0}/s {Patterns.DisplayName(Library)}",
        CaseKind.FanOut => $"fan-out 1->{Parameter} {Transport} {Patterns.DisplayName(Library)}",
        CaseKind.Subscriptions => $"sub {Parameter:N0} topics {Transport} {Patterns.DisplayName(Library)}",
        CaseKind.ReqRep => $"req/rep {Parameter:N0} clients {Transport} {Patterns.DisplayName(Library)}",
        CaseKind.StreamLatency => $"latency of {Count:N0} {Transport} {Patterns.DisplayName(Library)}",
        _ => $"{Kind} {Transport} {Size} B {Patterns.DisplayName(Library)}",
    };

    /// <summary>The case as <c>spbench side</c> arguments.</summary>
    public string[] ToArgs() =>
        [Kind.ToString(), Library.ToString(), Transport, Inv(Size), Inv(Count), Inv(Parameter), Inv(Processes), Inv(Depth), Inv(Workers), ByTrips ? "trips" : "ms", Sockets ? "sockets" : "contexts"];

    /// <summary>How many arguments <see cref="ToArgs"/> makes.</summary>
    public const int ArgCount = 11;

    public static BenchCase FromArgs(IReadOnlyList<string> args) =>
        args.Count == ArgCount
            ? new(Enum.Parse<CaseKind>(args[0]), Enum.Parse<Library>(args[1]), args[2], Int(args[3]), Int(args[4]), Int(args[5]), Int(args[6]),
                Int(args[7]), Int(args[8]), args[9] == "trips", args[10] == "sockets")
            : throw new BenchException($"side: expected {ArgCount} case arguments");

    public ThroughputPlan Throughput() =>
        new(Library, Kind == CaseKind.PushThroughput ? Pattern.Push : Pattern.Pair0, Size, Count, ThroughputWarmUp, TimeoutMs);

    public LatencyPlan Latency() =>
        new(Library, Kind == CaseKind.ReqLatency ? Pattern.Req : Pattern.Pair0, Size, Count, LatencyWarmUpFor(Count), TimeoutMs);

    public StreamLatencyPlan StreamLatency() => new(Library, Size, Count, WarmUp: 2_000);

    public PubSubPlan PubSub() => Kind switch
    {
        CaseKind.FanOut => new(Library, Size, Count, Depth > 0 ? Depth : 128, 0, 0, Processes, Parameter / Processes),
        CaseKind.Subscriptions => new(Library, Size, Count, QueueDepth, 0, Parameter, 1, 1),
        CaseKind.PubSubPaced => new(Library, Size, Count, QueueDepth, Parameter, 0, 1, 1),
        _ => new(Library, Size, Count, QueueDepth, 0, 0, 1, 1),
    };

    public ReqRepOptions ReqRep() =>
        new(Parameter, Workers > 0 ? Workers : ReqRepWorkers, Size, Transport, ByTrips ? null : TimeSpan.FromMilliseconds(Count), ByTrips ? Count : null, Sockets);

    private int QueueDepth => Depth > 0 ? Depth : PubSubQueueDepth;

    private static string Inv(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
