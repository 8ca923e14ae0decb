using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>The fixed list of cases <c>compare</c> runs (full or <c>--quick</c>), with their message counts.</summary>
internal sealed class CompareMatrix
{
    public static readonly int[] Sizes = [64, 1024, 16384];

    public static readonly Library[] Libraries = [Library.SpNet, Library.SpNetAsync, Library.Nng, Library.Nanomsg, Library.NetMQ];

    /// <summary>The libraries SpNet is measured against.</summary>
    public static readonly Library[] Peers = [Library.Nng, Library.Nanomsg, Library.NetMQ];

    /// <summary>The essay's message counts for mean latency against the length of the run.</summary>
    public static readonly int[] StreamCounts = [1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000];

    /// <summary>The paced PUB/SUB rate (msg/s) at which a subscriber must lose nothing.</summary>
    public const int PacedRate = 250_000;

    public required bool Quick { get; init; }

    /// <summary>Transports of the throughput and latency tables: the two-process ones first, inproc (one process) last.</summary>
    public required IReadOnlyList<string> Transports { get; init; }

    public required IReadOnlyList<int> ThroughputSizes { get; init; }

    public required IReadOnlyList<Library> Included { get; init; }

    public List<BenchCase> Cases { get; } = [];

    public required int PubSubCount { get; init; }

    public required TimeSpan PacedDuration { get; init; }

    public required int FanOutSubscribers { get; init; }

    public required int FanOutProcesses { get; init; }

    public required int[] SubscriptionCounts { get; init; }

    public required int ReqRepClients { get; init; }

    public required TimeSpan ReqRepDuration { get; init; }

    public required IReadOnlyList<int> StreamCountsRun { get; init; }

    public static int ThroughputCount(int size, bool quick) => (size, quick) switch
    {
        (<= 64, true) => 20_000,
        (<= 1024, true) => 10_000,
        (_, true) => 2_000,
        (<= 64, false) => 200_000,
        (<= 1024, false) => 100_000,
        _ => 30_000,
    };

    public int LatencyTrips => Quick ? 1_000 : 10_000;

    public static CompareMatrix Create(bool quick, IReadOnlyList<Library>? only = null)
    {
        IReadOnlyList<Library> libraries = only ?? Libraries;
        string[] transports = quick ? ["tcp", "inproc"] : ["tcp", "ipc", "inproc"];
        int[] sizes = quick ? [1024] : Sizes;
        var m = new CompareMatrix
        {
            Quick = quick,
            Transports = transports,
            ThroughputSizes = sizes,
            Included = libraries,
            PubSubCount = quick ? 100_000 : 1_000_000,
            PacedDuration = TimeSpan.FromSeconds(quick ? 0.4 : 2),
            FanOutSubscribers = quick ? 8 : 100,
            FanOutProcesses = quick ? 2 : 4,
            SubscriptionCounts = quick ? [1_000] : [1_000, 100_000],
            ReqRepClients = quick ? 100 : 1_000,
            ReqRepDuration = TimeSpan.FromSeconds(quick ? 1 : 5),
            StreamCountsRun = quick ? [1_000, 10_000] : StreamCounts,
        };
        List<BenchCase> cases = m.Cases;
        foreach (string transport in transports)
        {
            foreach (int size in sizes)
            {
                foreach (Library library in libraries)
                {
                    int count = ThroughputCount(size, quick);
                    cases.Add(new BenchCase(CaseKind.PairThroughput, library, transport, size, count));
                    cases.Add(new BenchCase(CaseKind.PushThroughput, library, transport, size, count));
                    cases.Add(new BenchCase(CaseKind.PairLatency, library, transport, size, m.LatencyTrips));
                }
            }
            foreach (Library library in libraries)
            {
                cases.Add(new BenchCase(CaseKind.ReqLatency, library, transport, 64, m.LatencyTrips));
            }
        }
        foreach (int count in m.StreamCountsRun)
        {
            foreach (Library library in libraries)
            {
                cases.Add(new BenchCase(CaseKind.StreamLatency, library, "tcp", 1024, count));
            }
        }
        foreach (Library library in libraries)
        {
            cases.Add(new BenchCase(CaseKind.PubSub, library, "tcp", 1024, m.PubSubCount));
        }
        foreach (Library library in libraries)
        {
            cases.Add(new BenchCase(CaseKind.PubSubPaced, library, "tcp", 1024, (int)(PacedRate * m.PacedDuration.TotalSeconds), PacedRate));
        }
        foreach (Library library in libraries)
        {
            cases.Add(new BenchCase(CaseKind.FanOut, library, "tcp", 64, quick ? 2_000 : 20_000, m.FanOutSubscribers, m.FanOutProcesses));
        }
        foreach (int subscriptions in m.SubscriptionCounts)
        {
            foreach (Library library in libraries)
            {
                cases.Add(new BenchCase(CaseKind.Subscriptions, library, "tcp", 64, quick ? 50_000 : 200_000, subscriptions));
            }
        }
        foreach (Library library in libraries)
        {
            cases.Add(new BenchCase(CaseKind.ReqRep, library, "tcp", 64, (int)m.ReqRepDuration.TotalMilliseconds, m.ReqRepClients));
        }
        return m;
    }

    /// <summary>The case of <paramref name="kind"/> for these coordinates, or null when the plan has none.</summary>
    public BenchCase? Find(CaseKind kind, Library library, string? transport = null, int? size = null, int? parameter = null, int? count = null) =>
        Cases.FirstOrDefault(c => c.Kind == kind && c.Library == library
            && (transport is null || c.Transport == transport)
            && (size is null || c.Size == size)
            && (parameter is null || c.Parameter == parameter)
            && (count is null || c.Count == count));
}
