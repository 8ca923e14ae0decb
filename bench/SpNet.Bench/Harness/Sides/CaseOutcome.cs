using System.Diagnostics;

namespace SpNet.Bench.Harness.Sides;

/// <summary>Turns what the sides of a case reported into its result record.</summary>
internal static class CaseOutcome
{
    public static object From(BenchCase c, CaseReports r) => c.Kind switch
    {
        CaseKind.PairThroughput or CaseKind.PushThroughput => Throughput(c, r),
        CaseKind.PairLatency or CaseKind.ReqLatency => new LatencyResult(
            c.Size, c.Count, r.Get("ping", "mean"), r.Get("ping", "p50"), r.Get("ping", "p99"),
            Allocation(r, ["ping", "echo"], 2L * c.Count)),
        CaseKind.StreamLatency => new StreamLatencyResult(c.Size, (long)r.Get("receiver", "received"), r.Get("receiver", "mean"), r.Get("receiver", "seconds")),
        CaseKind.PubSub or CaseKind.PubSubPaced => PubSub(c, r),
        CaseKind.FanOut => FanOut(c, r),
        CaseKind.Subscriptions => new SubscriptionResult(
            c.Parameter, TimeSpan.FromMilliseconds(r.Get("subs0", "subscribeMs")), PubSub(c, r), r.Find("subs0", "matchNs")),
        CaseKind.ReqRep => ReqRep(c, r),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    private static ThroughputResult Throughput(BenchCase c, CaseReports r)
    {
        int received = (int)r.Get("receiver", "received");
        return new ThroughputResult(c.Size, received, TimeSpan.FromSeconds(r.Get("receiver", "seconds")), Allocation(r, ["receiver", "sender"], received));
    }

    private static PubSubResult PubSub(BenchCase c, CaseReports r)
    {
        long received = (long)r.Get("subs0", "received");
        double seconds = Stopwatch.GetElapsedTime((long)r.Get("subs0", "first"), (long)r.Get("subs0", "last")).TotalSeconds;
        int sent = (int)r.Get("pub", "sent");
        return new PubSubResult(c.Size, sent, received, r.Get("pub", "senderRate"), received > 1 && seconds > 0 ? (received - 1) / seconds : 0,
            Allocation(r, ["pub", "subs0"], sent));
    }

    private static FanOutResult FanOut(BenchCase c, CaseReports r)
    {
        long delivered = (long)r.All("subs", "received").Sum();
        long start = (long)r.Get("pub", "start");
        long last = (long)r.All("subs", "last").Max();
        double seconds = Stopwatch.GetElapsedTime(start, Math.Max(start + 1, last)).TotalSeconds;
        return new FanOutResult(c.Parameter, c.Size, (int)r.Get("pub", "sent"), delivered, r.Get("pub", "senderRate"), delivered / seconds);
    }

    private static ReqRepResult ReqRep(BenchCase c, CaseReports r)
    {
        long trips = (long)r.Get("req", "trips");
        long steady = (long)r.Get("req", "steadyTrips");
        return new ReqRepResult(
            c.ReqRep(),
            trips,
            TimeSpan.FromSeconds(r.Get("req", "seconds")),
            (long)r.Get("req", "lost"),
            (long)r.Get("req", "mismatched"),
            r.Get("req", "p50"),
            r.Get("req", "p99"),
            r.Get("req", "p999"),
            new AllocationSample((long)r.Get("req", "bytes"), (int)r.Get("req", "gen0"), steady),
            new AllocationSample((long)r.Get("rep", "bytes"), (int)r.Get("rep", "gen0"), steady));
    }

    /// <summary>Both (all) named sides together: what the whole case allocated per message.</summary>
    private static AllocationSample Allocation(CaseReports r, string[] sides, long messages) =>
        new((long)sides.Sum(s => r.Get(s, "bytes")), (int)sides.Sum(s => r.Get(s, "gen0")), messages);
}
