using SpNet.Bench.Harness;

namespace SpNet.Bench.Commands;

/// <summary>The fixed list of runs <c>compare</c> makes (full or <c>--quick</c>), with their message counts.</summary>
internal sealed class CompareMatrix
{
    public enum Kind
    {
        PairThroughput,
        PushThroughput,
        PairLatency,
        PubSub,
        PubSubPaced,
        FanOut,
        Subscriptions,
        ReqRep,
    }

    /// <summary>REP worker contexts in the req/rep run.</summary>
    public const int ReqRepWorkers = 16;

    public sealed record Run(Kind Kind, string Transport, int Size, Library Library, int Count, int Parameter = 0)
    {
        public string Describe() => Kind switch
        {
            Kind.PubSub => $"pub/sub {Transport} {Count:N0}x{Size} B {Patterns.DisplayName(Library)}",
            Kind.PubSubPaced => $"pub/sub {Transport} paced {Parameter:N0}/s {Patterns.DisplayName(Library)}",
            Kind.FanOut => $"fan-out 1->{Parameter} {Transport} {Patterns.DisplayName(Library)}",
            Kind.Subscriptions => $"sub {Parameter:N0} topics {Transport} {Patterns.DisplayName(Library)}",
            Kind.ReqRep => $"req/rep {Parameter:N0} clients {Transport} {Patterns.DisplayName(Library)}",
            _ => $"{Kind} {Transport} {Size} B {Patterns.DisplayName(Library)}",
        };
    }

    public required bool Quick { get; init; }

    public required IReadOnlyList<string> Transports { get; init; }

    public required IReadOnlyList<Run> Runs { get; init; }

    public required int PubSubCount { get; init; }

    /// <summary>Send and receive queue depth of every PUB/SUB run: NNG's largest, so that a subscriber that keeps up loses nothing to scheduling hiccups.</summary>
    public const int PubSubQueueDepth = 8192;

    /// <summary>Producer rates of the paced PUB/SUB runs (msg/s).</summary>
    public required int[] PacedRates { get; init; }

    /// <summary>How long each paced PUB/SUB run sends.</summary>
    public required TimeSpan PacedDuration { get; init; }

    public required int FanOutSubscribers { get; init; }

    public required int[] SubscriptionCounts { get; init; }

    /// <summary>REQ clients (contexts on one REQ socket) in the req/rep run.</summary>
    public required int ReqRepClients { get; init; }

    /// <summary>How long the req/rep run lasts.</summary>
    public required TimeSpan ReqRepDuration { get; init; }

    /// <summary>The options of the req/rep run.</summary>
    public ReqRepOptions ReqRepOptions(CompareMatrix.Run run) =>
        new(run.Parameter, ReqRepWorkers, run.Size, run.Transport, TimeSpan.FromMilliseconds(run.Count), null, Sockets: false);

    public static int ThroughputCount(int size, bool quick) => (size, quick) switch
    {
        (<= 64, true) => 20_000,
        (<= 1024, true) => 10_000,
        (_, true) => 2_000,
        (<= 64, false) => 300_000,
        (<= 1024, false) => 200_000,
        _ => 50_000,
    };

    public static CompareMatrix Create(bool quick)
    {
        string[] transports = quick ? ["tcp", "inproc"] : ["tcp", "inproc", "ipc"];
        int latencyTrips = quick ? 1_000 : 20_000;
        int pubSubCount = quick ? 100_000 : 1_000_000;
        int fanOutSubscribers = quick ? 10 : 100;
        int[] subscriptionCounts = quick ? [1, 1_000] : [1, 1_000, 100_000];
        int[] pacedRates = quick ? [100_000, 400_000] : [100_000, 250_000, 500_000, 1_000_000];
        TimeSpan pacedDuration = TimeSpan.FromSeconds(quick ? 0.5 : 2);
        int reqRepClients = quick ? 100 : 1_000;
        TimeSpan reqRepDuration = TimeSpan.FromSeconds(quick ? 1 : 5);
        var runs = new List<Run>();
        foreach (string transport in transports)
        {
            foreach (int size in CompareCommand.Sizes)
            {
                foreach (Library library in CompareCommand.Libraries)
                {
                    int count = ThroughputCount(size, quick);
                    runs.Add(new Run(Kind.PairThroughput, transport, size, library, count));
                    runs.Add(new Run(Kind.PushThroughput, transport, size, library, count));
                    runs.Add(new Run(Kind.PairLatency, transport, size, library, latencyTrips));
                }
            }
        }
        foreach (string transport in new[] { "tcp", "inproc" })
        {
            foreach (Library library in CompareCommand.Libraries)
            {
                runs.Add(new Run(Kind.PubSub, transport, 1024, library, pubSubCount));
            }
        }
        foreach (int rate in pacedRates)
        {
            foreach (Library library in CompareCommand.Libraries)
            {
                runs.Add(new Run(Kind.PubSubPaced, "tcp", 1024, library, (int)Math.Min(1_000_000, rate * pacedDuration.TotalSeconds), rate));
            }
        }
        foreach (Library library in CompareCommand.Libraries)
        {
            runs.Add(new Run(Kind.FanOut, "tcp", 64, library, quick ? 2_000 : 20_000, fanOutSubscribers));
        }
        foreach (int subscriptions in subscriptionCounts)
        {
            foreach (Library library in CompareCommand.Libraries)
            {
                runs.Add(new Run(Kind.Subscriptions, "inproc", 64, library, quick ? 50_000 : 300_000, subscriptions));
            }
        }
        foreach (Library library in CompareCommand.Libraries)
        {
            runs.Add(new Run(Kind.ReqRep, "tcp", 64, library, (int)reqRepDuration.TotalMilliseconds, reqRepClients));
        }
        return new CompareMatrix
        {
            Quick = quick,
            Transports = transports,
            Runs = runs,
            PubSubCount = pubSubCount,
            PacedRates = pacedRates,
            PacedDuration = pacedDuration,
            FanOutSubscribers = fanOutSubscribers,
            SubscriptionCounts = subscriptionCounts,
            ReqRepClients = reqRepClients,
            ReqRepDuration = reqRepDuration,
        };
    }
}
