using System.Globalization;
using System.Text;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;
using SpNet.Bench.Report;

namespace SpNet.Bench.Commands;

/// <summary>Turns one <c>compare</c> run into docs/benchmarks.md and its two charts.</summary>
internal sealed class CompareReport(CompareMatrix plan, CompareResults results, MachineInfo machine, string command, TimeSpan duration)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder _md = new();

    private bool TwoProcesses => results.Placement == Placement.Processes;

    public string Markdown()
    {
        _md.Clear();
        Line("# SpNet benchmarks: SpNet vs NNG vs nanomsg vs NetMQ");
        Line();
        Line(plan.Quick
            ? "> **Quick run** (`--quick`: small counts, tcp and inproc, 1 KiB only). A sanity check of the harness, not a measurement."
            : "> Full run. Figures from a shared machine are noisy: check the load average below before trusting them.");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| Command | `{command}` (from the repository root: `dotnet build -c Release bench/SpNet.Bench && dotnet artifacts/bin/SpNet.Bench/release/spbench.dll {command["spbench ".Length..]}`) |");
        Line($"| Date (UTC) | {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} |");
        Line($"| Commit | {machine.Commit} |");
        Line($"| CPU | {machine.Cpu}, {machine.Cores} logical cores |");
        Line($"| OS | {machine.Os} |");
        Line($"| Runtime | {machine.Runtime}, workstation non-concurrent GC |");
        Line($"| Load average before | {machine.LoadBefore} |");
        Line($"| Load average after | {machine.LoadAfter} |");
        Line($"| Duration | {duration:mm\\:ss} |");
        Line("| Peers | NNG 1.5.2 (`libnng.so.1`) and nanomsg 1.1.5 (`libnanomsg.so.5`) through P/Invoke; NetMQ 4.0.4.5 (NuGet, pure C#) — all driven by the same harness |");
        Line();
        Line(TwoProcesses
            ? "**How every case runs: as deployed, each side in its own process.** `spbench compare` starts itself once per side (`spbench side …`), "
              + "so the publisher and the subscriber, the sender and the receiver, the REQ clients and the REP server never share a runtime, a thread pool or a buffer pool. "
              + "inproc cannot cross a process, so inproc cases run both sides as threads of one process (a secondary section at the end). "
            : "**One-process run (`--one-process`)**: both sides of every case as threads of one process; not what users deploy. ");
        Line("Each library talks to itself (NetMQ speaks ZeroMQ's own wire, ZMTP, not SP, so it can face nothing else). "
            + "Every side makes blocking calls with caller buffers (`nng_send`/`nng_recv`, `nn_send`/`nn_recv`, NetMQ `TrySend`/`TryReceive` of a `Msg`, SpNet `Send(span)`/`Receive()`); "
            + "**SpNet (async)** drives SpNet through `SendAsync`/`ReceiveAsync` instead. Throughput and latency follow NNG's perf (`local_thr`/`remote_thr`, `local_lat`/`remote_lat`, which are the same side code): "
            + "queue depth 128 messages (NNG_OPT_SENDBUF/RECVBUF, SpNet SendBufferSize, NetMQ high-water marks; nanomsg's buffers are bytes and keep their defaults), "
            + "the clock starts at an empty message after a warm-up of a tenth of the run (a fresh process must tier up its JIT: SpNet and NetMQ), latency is one-way (round trip ÷ 2) after 2,000 warm-up trips. PAIR is PAIR0 (nanomsg has no PAIR1; NetMQ's PAIR is ZeroMQ's).");
        Line();
        string[] wire = [.. plan.Transports.Where(t => t != "inproc")];
        string[] inproc = [.. plan.Transports.Where(t => t == "inproc")];
        Targets();
        Throughput(CaseKind.PairThroughput, "PAIR0 throughput", wire);
        Throughput(CaseKind.PushThroughput, "PUSH/PULL throughput", wire);
        Latency(wire);
        StreamLatency();
        PubSub();
        FanOut();
        Subscriptions();
        ReqRep();
        if (inproc.Length > 0)
        {
            Line("# Secondary: inproc, both sides in one process");
            Line();
            Line("inproc cannot leave a process, so these cases run both sides as threads of one process. They show each library's own overhead with no kernel in the way; they are not what a deployment between processes or machines gets, and no target above is read from them.");
            Line();
            Throughput(CaseKind.PairThroughput, "PAIR0 throughput, inproc", inproc);
            Throughput(CaseKind.PushThroughput, "PUSH/PULL throughput, inproc", inproc);
            Latency(inproc);
        }
        Allocations();
        Line("The perf roles face NNG's own perf tool: `spbench local_thr tcp://127.0.0.1:5555 1024 100000 -p pair1` against `remote_thr tcp://127.0.0.1:5555 1024 100000` from NNG's build.");
        Line();
        Line("How the data path works and where the time goes: [data-path.md](data-path.md).");
        return _md.ToString();
    }

    /// <summary>PAIR0 throughput by size, one panel per transport.</summary>
    public string ThroughputChart()
    {
        var panels = new List<(string, IReadOnlyList<(string, double[])>)>();
        foreach (string transport in plan.Transports)
        {
            var groups = new List<(string, double[])>();
            foreach (int size in plan.ThroughputSizes)
            {
                double[] values = [.. plan.Included.Select(library =>
                    results.Get<ThroughputResult>(plan.Find(CaseKind.PairThroughput, library, transport, size)) is { } r ? r.MessagesPerSecond : double.NaN)];
                groups.Add((SizeLabel(size), values));
            }
            panels.Add(($"{transport}://{(transport == "inproc" || !TwoProcesses ? " (one process)" : " (two processes)")}", groups));
        }
        return SvgChart.Render($"PAIR0 throughput by message size{(plan.Quick ? " (quick run)" : "")}", panels,
            [.. plan.Included.Select(Patterns.DisplayName)], "messages per second");
    }

    /// <summary>Mean latency against the number of messages sent back to back (log–log).</summary>
    public string StreamLatencyChart() => SvgLineChart.Render(
        $"Mean latency vs messages sent back to back (PUSH/PULL tcp, 1 KiB){(plan.Quick ? ", quick run" : "")}",
        [.. plan.StreamCountsRun.Select(c => (double)c)],
        [.. plan.Included.Select(library => (Patterns.DisplayName(library), plan.StreamCountsRun.Select(count =>
            results.Get<StreamLatencyResult>(plan.Find(CaseKind.StreamLatency, library, count: count))?.MeanMicroseconds ?? double.NaN).ToArray()))],
        "messages sent",
        "mean latency (µs)");

    private void Targets()
    {
        Line("## Targets (issue 12), from this run");
        Line();
        Line("Each SpNet figure against the best peer that ran (NNG, nanomsg or NetMQ; NetMQ has no ipc) or against nanomsg where the target names it. "
            + "Ratio = SpNet ÷ peer (for latency lower is better). *SpNet (sync)* is the blocking API the perf tools use; *SpNet (async)* is listed beside it. "
            + (TwoProcesses ? "All from the two-process cases. " : "**These come from a one-process run and do not show the targets as deployed.** ")
            + "Where the time goes on a missed target: [data-path.md](data-path.md).");
        Line();
        Line("| Target | Case | SpNet | SpNet figure | Peer figure | Ratio | Goal | Met |");
        Line("|---|---|---|---:|---:|---:|---:|---|");
        List<TargetRow> rows = CompareTargets.Compute(plan, results);
        foreach (TargetRow row in rows)
        {
            string met = row.Met switch { true => "**met**", false => "missed", null => "not measured" };
            string ratio = row.Ratio is double r ? r.ToString("F2", Inv) : "";
            Line($"| {row.Target} | {row.Case} | {(row.Library == Library.SpNet ? "sync" : "async")} | {row.SpNet} | {row.Peer} | {ratio} | {row.Goal} | {met} |");
        }
        Line();
        Line(string.Create(Inv, $"Met: {rows.Count(r => r.Met == true)} of {rows.Count} rows ({rows.Count(r => r.Met == true && r.Library == Library.SpNet)} of {rows.Count(r => r.Library == Library.SpNet)} with the blocking API); missed: {rows.Count(r => r.Met == false)}; not measured: {rows.Count(r => r.Met is null)}."));
        Line();
    }

    private void Throughput(CaseKind kind, string title, IReadOnlyList<string> transports)
    {
        Line($"## {title} (msg/s · MB/s of payload)");
        Line();
        Header("Transport", "Size");
        foreach (string transport in transports)
        {
            foreach (int size in plan.ThroughputSizes)
            {
                Row([Where(transport), SizeLabel(size), .. plan.Included.Select(library =>
                {
                    BenchCase? c = plan.Find(kind, library, transport, size);
                    return results.Get<ThroughputResult>(c) is { } r
                        ? string.Create(Inv, $"{r.MessagesPerSecond:N0} · {r.MessagesPerSecond * size / 1e6:F1}")
                        : results.NoteFor(c);
                })]);
            }
        }
        Line();
        Line($"Counts: {string.Join(", ", plan.ThroughputSizes.Select(s => $"{SizeLabel(s)} × {CompareMatrix.ThroughputCount(s, plan.Quick):N0}"))} messages per run, after a warm-up of a tenth of that.");
        Line();
        if (kind == CaseKind.PairThroughput && !transports.Contains("inproc"))
        {
            Line("![PAIR0 throughput by size](img/throughput.svg)");
            Line();
        }
    }

    private void Latency(IReadOnlyList<string> transports)
    {
        Line($"## Ping-pong latency{(transports.Contains("inproc") ? ", inproc" : "")} (one-way µs: mean / p50 / p99)");
        Line();
        Header("Case", "Size");
        foreach (string transport in transports)
        {
            foreach (int size in plan.ThroughputSizes)
            {
                LatencyRow(CaseKind.PairLatency, $"PAIR0 {Where(transport)}", transport, size);
            }
            LatencyRow(CaseKind.ReqLatency, $"REQ/REP {Where(transport)}", transport, 64);
        }
        Line();
        Line($"{plan.LatencyTrips:N0} timed round trips per run, after {BenchCase.LatencyWarmUpFor(plan.LatencyTrips):N0} untimed ones.");
        Line();
    }

    private void LatencyRow(CaseKind kind, string label, string transport, int size) =>
        Row([label, SizeLabel(size), .. plan.Included.Select(library =>
        {
            BenchCase? c = plan.Find(kind, library, transport, size);
            return results.Get<LatencyResult>(c) is { } r
                ? string.Create(Inv, $"{r.MeanMicroseconds:F1} / {r.P50Microseconds:F1} / {r.P99Microseconds:F1}")
                : results.NoteFor(c);
        })]);

    private void StreamLatency()
    {
        Line("## Mean latency against messages sent back to back (PUSH/PULL tcp, 1 KiB)");
        Line();
        Line("The benchmark essay's second figure: the sender sends N messages as fast as the library takes them, each stamped with the time it was handed over; "
            + "the receiver (another process, reading the same monotonic clock) averages arrival − stamp over the run. PUSH/PULL rather than PUB/SUB so that nothing is dropped and every message counts. "
            + "Beyond a few thousand messages the mean is mostly queueing: the time a message waits behind the ones sent before it, i.e. queue depth ÷ rate.");
        Line();
        Line("| Messages | " + string.Join(" | ", plan.Included.Select(Patterns.DisplayName)) + " |");
        Line("|---:|" + string.Concat(plan.Included.Select(_ => "---:|")));
        foreach (int count in plan.StreamCountsRun)
        {
            Row([count.ToString("N0", Inv), .. plan.Included.Select(library =>
            {
                BenchCase? c = plan.Find(CaseKind.StreamLatency, library, count: count);
                return results.Get<StreamLatencyResult>(c) is { } r ? FormatMicros(r.MeanMicroseconds) : results.NoteFor(c);
            })]);
        }
        Line();
        Line("![Mean latency against message count](img/latency-by-count.svg)");
        Line();
    }

    private void PubSub()
    {
        Line($"## PUB/SUB: {plan.PubSubCount:N0} × 1 KiB over tcp, one publisher process, one subscriber process");
        Line();
        Line("PUB never blocks: when a queue on the way is full the message is dropped (every implementation here does this), so the producer's rate, the consumer's rate and the loss are three numbers. "
            + $"Queues: {BenchCase.PubSubQueueDepth:N0} messages on the PUB's send side and the SUB's receive side (NNG SENDBUF/RECVBUF, SpNet SendBufferSize/ReceiveBufferSize, NetMQ high-water marks; nanomsg NN_SNDBUF/NN_RCVBUF = that many KiB). "
            + "Each side first floods 100,000 messages to itself over loopback tcp (a warm-up, so the run meets JIT-optimised code as a long-running service would). "
            + "The publisher sends probes until the subscriber has seen one, then floods; the subscriber counts until 1 s of silence after the publisher is done.");
        Line();
        PubSubTable(CaseKind.PubSub);
        Line($"### Paced at {CompareMatrix.PacedRate:N0} msg/s (tcp, 1 KiB, {plan.PacedDuration.TotalSeconds:0.#} s)");
        Line();
        PubSubTable(CaseKind.PubSubPaced);
    }

    private void PubSubTable(CaseKind kind)
    {
        Line("| Library | Sender msg/s | Subscriber msg/s | Received | Loss |");
        Line("|---|---:|---:|---:|---:|");
        foreach (Library library in plan.Included)
        {
            BenchCase? c = plan.Find(kind, library);
            Line(results.Get<PubSubResult>(c) is { } p
                ? string.Create(Inv, $"| {Patterns.DisplayName(library)} | {p.SenderRate:N0} | {p.ReceiverRate:N0} | {p.Received:N0} of {p.Sent:N0} | {p.LossPercent:F2} % |")
                : $"| {Patterns.DisplayName(library)} | {results.NoteFor(c)} | | | |");
        }
        Line();
    }

    private void FanOut()
    {
        Line($"## Fan-out: 1 PUB → {plan.FanOutSubscribers} SUB ({plan.FanOutProcesses} subscriber processes × {plan.FanOutSubscribers / plan.FanOutProcesses} SUB sockets, tcp, 64 B)");
        Line();
        Line("Each SUB socket has its own connection and its own thread (an async loop for SpNet async); queue depth 128. Delivered = messages received by all subscribers together, per second from the publisher's first message to the last arrival.");
        Line();
        Line("| Library | Sent | Sender msg/s | Delivered msg/s | Loss |");
        Line("|---|---:|---:|---:|---:|");
        foreach (Library library in plan.Included)
        {
            BenchCase? c = plan.Find(CaseKind.FanOut, library);
            Line(results.Get<FanOutResult>(c) is { } f
                ? string.Create(Inv, $"| {Patterns.DisplayName(library)} | {f.Sent:N0} | {f.SenderRate:N0} | {f.DeliveredRate:N0} | {f.LossPercent:F1} % |")
                : $"| {Patterns.DisplayName(library)} | {results.NoteFor(c)} | | | |");
        }
        Line();
    }

    private void Subscriptions()
    {
        Line("## A SUB holding many subscriptions (tcp, 64 B, one publisher process, one subscriber process)");
        Line();
        Line("The SUB holds N topics `t/000000/`…; every message carries the last one added (the worst case for NNG 1.5.2's list, which scans topics in insertion order; SpNet and nanomsg use tries). "
            + $"Subscriber msg/s is what it takes while the publisher floods; \"match\" is SpNet's `SubscriptionSet.Matches` alone. Subscribing is cut off after {PubSubSides.SubscribeBudget.TotalSeconds:F0} s.");
        Line();
        Line("| Library | Subscriptions | Subscribe time | Subscriber msg/s | Loss | SpNet match (ns) |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (int subscriptions in plan.SubscriptionCounts)
        {
            foreach (Library library in plan.Included)
            {
                BenchCase? c = plan.Find(CaseKind.Subscriptions, library, parameter: subscriptions);
                Line(results.Get<SubscriptionResult>(c) is { } s
                    ? string.Create(Inv, $"| {Patterns.DisplayName(library)} | {s.Subscriptions:N0} | {s.SubscribeTime.TotalMilliseconds:F0} ms | {s.Flow.ReceiverRate:N0} | {s.Flow.LossPercent:F1} % | {(s.MatchNanoseconds is double ns ? ns.ToString("F1", Inv) : "")} |")
                    : string.Create(Inv, $"| {Patterns.DisplayName(library)} | {subscriptions:N0} | {results.NoteFor(c)} | | | |"));
            }
        }
        Line();
    }

    private void ReqRep()
    {
        Line($"## REQ/REP with contexts: {plan.ReqRepClients:N0} REQ clients → 1 REP with {BenchCase.ReqRepWorkers} worker contexts (tcp, 64 B, {plan.ReqRepDuration.TotalSeconds:F0} s)");
        Line();
        Line($"One process runs the REP socket with {BenchCase.ReqRepWorkers} contexts echoing; the other runs the clients, contexts on one REQ socket (one connection), each with one request outstanding, sending again as soon as its reply is in. "
            + "Every request carries its client's index and a sequence number and the reply must echo it: one that does not is *mismatched*, one that does not come within 10 s is *lost*. "
            + "**SpNet**: the clients are async loops in both columns; *sync* runs the REP workers as dedicated threads making blocking context calls, *async* as async loops. "
            + "**NNG 1.5.2** has no blocking context calls: each REP worker is a thread doing `nng_ctx_recv`/`nng_ctx_send` + `nng_aio_wait`, and each client is an aio whose callback sends the next request. "
            + "**nanomsg** and **NetMQ** have no contexts. "
            + "Allocated = managed bytes per round trip in steady state (from the moment the clients have made two round trips each on average to the end), REQ process + REP process; NNG's is the harness's callbacks.");
        Line();
        Line("| Library | Round trips | Round trips/s | p50 | p99 | p99.9 | Lost | Mismatched | Allocated |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Library library in plan.Included)
        {
            BenchCase? c = plan.Find(CaseKind.ReqRep, library);
            Line(results.Get<ReqRepResult>(c) is { } q
                ? string.Create(Inv, $"| {Patterns.DisplayName(library)} | {q.Trips:N0} | {q.TripsPerSecond:N0} | {q.P50Microseconds / 1000:F2} ms | {q.P99Microseconds / 1000:F2} ms | {q.P999Microseconds / 1000:F2} ms | {q.Lost:N0} | {q.Mismatched:N0} | {(q.Allocation.Messages > 0 ? $"{q.Allocation.BytesPerMessage:F0} B/trip (REQ {q.Client.BytesPerMessage:F0} + REP {q.Server.BytesPerMessage:F0})" : "steady state not reached")} |")
                : $"| {Patterns.DisplayName(library)} | {results.NoteFor(c)} | | | | | | | |");
        }
        Line();
    }

    private void Allocations()
    {
        Line("## Managed allocation per message (both sides together)");
        Line();
        Line("`GC.GetTotalAllocatedBytes(precise: true)` and gen0 collections around each side's timed loop, added over the sides; a PAIR message is counted once for its sender and once for its receiver. The NNG and nanomsg columns show what the harness itself allocates (should be ~0).");
        Line();
        Line("| Run | Transport | Size | " + string.Join(" | ", plan.Included.Select(Patterns.DisplayName)) + " |");
        Line("|---|---|---|" + string.Concat(plan.Included.Select(_ => "---:|")));
        foreach (CaseKind kind in new[] { CaseKind.PairThroughput, CaseKind.PushThroughput, CaseKind.PairLatency })
        {
            foreach (string transport in plan.Transports)
            {
                foreach (int size in plan.ThroughputSizes)
                {
                    IEnumerable<string> cells = plan.Included.Select(library =>
                    {
                        BenchCase? c = plan.Find(kind, library, transport, size);
                        AllocationSample? a = results.Get<ThroughputResult>(c)?.Allocation ?? results.Get<LatencyResult>(c)?.Allocation;
                        return a is { } s ? string.Create(Inv, $"{s.BytesPerMessage:F1} B, {s.Gen0Per100k:F1} gen0/100k") : "–";
                    });
                    Line($"| {KindName(kind)} | {transport} | {SizeLabel(size)} | {string.Join(" | ", cells)} |");
                }
            }
        }
        Line();
    }

    private string Where(string transport) =>
        transport == "inproc" || !TwoProcesses ? $"{transport} (1 process)" : $"{transport} (2 processes)";

    private static string FormatMicros(double micros) => micros >= 10_000
        ? string.Create(Inv, $"{micros / 1000:N1} ms")
        : string.Create(Inv, $"{micros:N1} µs");

    private static string KindName(CaseKind kind) => kind switch
    {
        CaseKind.PairThroughput => "PAIR0 thr",
        CaseKind.PushThroughput => "PUSH/PULL thr",
        CaseKind.PairLatency => "PAIR0 lat",
        _ => kind.ToString(),
    };

    private void Header(string first, string second)
    {
        Line($"| {first} | {second} | " + string.Join(" | ", plan.Included.Select(Patterns.DisplayName)) + " |");
        Line("|---|---|" + string.Concat(plan.Included.Select(_ => "---:|")));
    }

    private void Row(IEnumerable<string> cells) => Line("| " + string.Join(" | ", cells) + " |");

    private void Line(string text = "") => _md.Append(text).Append('\n');

    public static string SizeLabel(int size) => size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";
}
