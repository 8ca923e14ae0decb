using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>One target of issue 12 checked against one run: SpNet's figure, the peer's, the ratio and whether it is met.</summary>
internal sealed record TargetRow(string Target, string Case, Library Library, string SpNet, string Peer, double? Ratio, string Goal, bool? Met);

/// <summary>
/// The performance targets, computed from the two-process cases of one run. Each row names the peer it is measured
/// against (the best of NNG, nanomsg and NetMQ, or nanomsg where the target says so); a case that did not run is
/// "not measured", never met.
/// </summary>
internal static class CompareTargets
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static List<TargetRow> Compute(CompareMatrix plan, CompareResults results)
    {
        var rows = new List<TargetRow>();
        Library[] spnet = [.. new[] { Library.SpNet, Library.SpNetAsync }.Where(plan.Included.Contains)];
        string[] wire = [.. plan.Transports.Where(t => t != "inproc")];
        foreach (CaseKind kind in new[] { CaseKind.PairThroughput, CaseKind.PushThroughput })
        {
            foreach (string transport in wire)
            {
                foreach (int size in plan.ThroughputSizes)
                {
                    foreach (Library library in spnet)
                    {
                        double? ours = results.Get<ThroughputResult>(plan.Find(kind, library, transport, size))?.MessagesPerSecond;
                        (Library Peer, double Value)? best = Best(plan, peer => results.Get<ThroughputResult>(plan.Find(kind, peer, transport, size))?.MessagesPerSecond, max: true);
                        rows.Add(Row($"throughput ≥ 1.5× best peer", $"{(kind == CaseKind.PairThroughput ? "PAIR0" : "PUSH/PULL")} {transport} {CompareReport.SizeLabel(size)}", library,
                            ours, best, v => v.ToString("N0", Inv) + " msg/s", ratio => ratio >= 1.5, "≥ 1.50"));
                    }
                }
            }
        }
        foreach (string transport in wire)
        {
            foreach (Library library in spnet)
            {
                double? ours = results.Get<LatencyResult>(plan.Find(CaseKind.PairLatency, library, transport, 64))?.MeanMicroseconds;
                (Library, double)? best = Best(plan, peer => results.Get<LatencyResult>(plan.Find(CaseKind.PairLatency, peer, transport, 64))?.MeanMicroseconds, max: false);
                rows.Add(Row("64 B latency ≤ 0.7× best peer", $"PAIR0 {transport} 64 B, mean one-way", library, ours, best, v => v.ToString("F1", Inv) + " µs", ratio => ratio <= 0.7, "≤ 0.70"));
            }
        }
        foreach (Library library in spnet)
        {
            PubSubResult? ours = results.Get<PubSubResult>(plan.Find(CaseKind.PubSub, library));
            PubSubResult? nn = results.Get<PubSubResult>(plan.Find(CaseKind.PubSub, Library.Nanomsg));
            rows.Add(Row("PUB/SUB flood ≥ 1.5× nanomsg", $"{plan.PubSubCount:N0} × 1 KiB tcp, subscriber msg/s", library,
                ours?.ReceiverRate, nn is null ? null : (Library.Nanomsg, nn.ReceiverRate), v => v.ToString("N0", Inv) + " msg/s", r => r >= 1.5, "≥ 1.50"));
            rows.Add(Row("PUB/SUB flood ≥ 1.5× nanomsg", $"{plan.PubSubCount:N0} × 1 KiB tcp, messages delivered", library,
                ours?.Received, nn is null ? null : (Library.Nanomsg, nn.Received), v => v.ToString("N0", Inv), r => r >= 1.5, "≥ 1.50"));
            PubSubResult? paced = results.Get<PubSubResult>(plan.Find(CaseKind.PubSubPaced, library));
            rows.Add(new TargetRow("paced 250k msg/s: zero loss", $"{CompareMatrix.PacedRate:N0} msg/s × 1 KiB tcp, {plan.PacedDuration.TotalSeconds:0.#} s", library,
                paced is null ? results.NoteFor(plan.Find(CaseKind.PubSubPaced, library)) : $"{paced.Received:N0} of {paced.Sent:N0}", "", null, "0 lost",
                paced is null ? null : paced.Received >= paced.Sent));
            FanOutResult? fan = results.Get<FanOutResult>(plan.Find(CaseKind.FanOut, library));
            FanOutResult? nnFan = results.Get<FanOutResult>(plan.Find(CaseKind.FanOut, Library.Nanomsg));
            rows.Add(Row("fan-out ≥ 1.5× nanomsg", $"1 PUB → {plan.FanOutSubscribers} SUB ({plan.FanOutProcesses} processes) tcp, delivered msg/s", library,
                fan?.DeliveredRate, nnFan is null ? null : (Library.Nanomsg, nnFan.DeliveredRate), v => v.ToString("N0", Inv) + " msg/s", r => r >= 1.5, "≥ 1.50"));
            foreach (int subscriptions in plan.SubscriptionCounts)
            {
                double? s = results.Get<SubscriptionResult>(plan.Find(CaseKind.Subscriptions, library, parameter: subscriptions))?.Flow.ReceiverRate;
                double? n = results.Get<SubscriptionResult>(plan.Find(CaseKind.Subscriptions, Library.Nanomsg, parameter: subscriptions))?.Flow.ReceiverRate;
                rows.Add(Row("subscriptions ≥ nanomsg", $"SUB with {subscriptions:N0} topics tcp, msg/s", library,
                    s, n is double nv ? (Library.Nanomsg, nv) : null, v => v.ToString("N0", Inv) + " msg/s", r => r >= 1.0, "≥ 1.00"));
            }
            ReqRepResult? q = results.Get<ReqRepResult>(plan.Find(CaseKind.ReqRep, library));
            bool measured = q is not null && q.Allocation.Messages > 0;
            rows.Add(new TargetRow("REQ/REP 0 B per round trip", $"{plan.ReqRepClients:N0} REQ contexts → 1 REP tcp, steady state", library,
                q is null ? results.NoteFor(plan.Find(CaseKind.ReqRep, library)) : measured ? string.Create(Inv, $"{q.Allocation.BytesPerMessage:F0} B (REQ {q.Client.BytesPerMessage:F0} + REP {q.Server.BytesPerMessage:F0})") : "steady state not reached",
                "", null, "0 B", measured ? q!.Allocation.BytesPerMessage < 1 : null));
        }
        // Rows were made library by library: list each target's rows together, in the order of the targets.
        var order = rows.Select(r => r.Target).Distinct().ToList();
        return [.. rows.OrderBy(r => order.IndexOf(r.Target))];
    }

    /// <summary>The best peer's figure (highest, or lowest for latency) among those that ran.</summary>
    private static (Library, double)? Best(CompareMatrix plan, Func<Library, double?> figure, bool max)
    {
        var measured = CompareMatrix.Peers.Where(plan.Included.Contains)
            .Select(p => (Peer: p, Value: figure(p)))
            .Where(p => p.Value is double v && v > 0)
            .Select(p => (p.Peer, p.Value!.Value))
            .ToList();
        if (measured.Count == 0)
        {
            return null;
        }
        return max ? measured.MaxBy(p => p.Item2) : measured.MinBy(p => p.Item2);
    }

    private static TargetRow Row(string target, string what, Library library, double? ours, (Library Peer, double Value)? peer, Func<double, string> format, Func<double, bool> meets, string goal)
    {
        if (ours is not double value || peer is not (Library p, double pv) || pv <= 0)
        {
            return new TargetRow(target, what, library, ours is double o ? format(o) : "not measured",
                peer is (Library q, double qv) ? $"{Patterns.DisplayName(q)}: {format(qv)}" : "not measured", null, goal, null);
        }
        double ratio = value / pv;
        return new TargetRow(target, what, library, format(value), $"{Patterns.DisplayName(p)}: {format(pv)}", ratio, goal, meets(ratio));
    }
}
