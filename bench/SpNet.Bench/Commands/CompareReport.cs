using System.Globalization;
using System.Text;
using SpNet.Bench.Harness;
using SpNet.Bench.Report;

namespace SpNet.Bench.Commands;

/// <summary>Turns <see cref="CompareResults"/> into docs/benchmarks.md and the throughput chart.</summary>
internal sealed class CompareReport(CompareMatrix plan, CompareResults results, MachineInfo machine, string command, TimeSpan duration)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private readonly StringBuilder _md = new();

    public string Markdown()
    {
        Line("# SpNet benchmarks: SpNet vs NNG vs nanomsg");
        Line();
        Line(plan.Quick
            ? "> **Quick run** (`--quick`: reduced counts, tcp and inproc only). A sanity check, not a measurement: small counts, and the machine was shared with other builds and tests while it ran. The lead reruns the full `spbench compare` on a quiet machine."
            : "> Full run. Numbers from a shared or busy machine are noisy: check the load average below before trusting them.");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| Command | `{command}` (from the repository root; `dotnet artifacts/bin/SpNet.Bench/release/spbench.dll compare …`) |");
        Line($"| Date (UTC) | {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", Inv)} |");
        Line($"| Commit | {machine.Commit} |");
        Line($"| CPU | {machine.Cpu}, {machine.Cores} logical cores |");
        Line($"| OS | {machine.Os} |");
        Line($"| Runtime | {machine.Runtime}, workstation non-concurrent GC |");
        Line($"| Load average at the end | {machine.Load} |");
        Line($"| Duration | {duration:mm\\:ss} |");
        Line($"| Peers | NNG 1.5.2 via `libnng.so.1`, nanomsg 1.1.5 via `libnanomsg.so.5` (P/Invoke, same harness) |");
        Line();
        Line("How every run works: both sides in one process, each library talking to itself (SpNet↔SpNet, NNG↔NNG, nanomsg↔nanomsg), "
            + "each side on its own dedicated thread making blocking calls with caller buffers (`nng_send`/`nng_recv`, `nn_send`/`nn_recv`, SpNet `Send(span)`/`Receive()`). "
            + "**SpNet (async)** drives SpNet through `SendAsync`/`ReceiveAsync` on the thread pool instead. Queue depth 128 messages (NNG_OPT_SENDBUF/RECVBUF, SpNet SendBufferSize) as NNG's perf sets; nanomsg keeps its byte-sized defaults. "
            + "PAIR is PAIR0 everywhere (nanomsg has no PAIR1). Throughput starts its clock at an empty first message, as NNG's perf does. Latency is one-way (round trip ÷ 2, as NNG's perf), after 100 warm-up trips.");
        Line();
        Throughput(CompareMatrix.Kind.PairThroughput, "PAIR0 throughput (msg/s, and MB/s of payload)");
        Throughput(CompareMatrix.Kind.PushThroughput, "PUSH/PULL throughput (msg/s, and MB/s of payload)");
        Latency();
        PubSub();
        FanOut();
        Subscriptions();
        ReqRep();
        Allocations();
        Line("![throughput by size](img/throughput.svg)");
        Line();
        Line("Reproduce: `dotnet build -c Release bench/SpNet.Bench && dotnet artifacts/bin/SpNet.Bench/release/spbench.dll compare` (add `--quick` for the < 1 minute sanity run). "
            + "The perf roles face NNG's own perf tool: `spbench local_thr tcp://127.0.0.1:5555 1024 100000 -p pair1` against `remote_thr tcp://127.0.0.1:5555 1024 100000` from NNG's build.");
        Line();
        Line("How the data path works and where the time goes (including why every library loses most of a PUB/SUB flood on 2 cores): [data-path.md](data-path.md).");
        return _md.ToString();
    }

    public static string Chart(CompareMatrix plan, CompareResults results)
    {
        var panels = new List<(string, IReadOnlyList<(string, double[])>)>();
        foreach (string transport in plan.Transports)
        {
            var groups = new List<(string, double[])>();
            foreach (int size in CompareCommand.Sizes)
            {
                double[] values = [.. CompareCommand.Libraries.Select(library =>
                    results.Get<ThroughputResult>(Find(plan, CompareMatrix.Kind.PairThroughput, transport, size, library)) is { } r ? r.MessagesPerSecond : double.NaN)];
                groups.Add((SizeLabel(size), values));
            }
            panels.Add(($"{transport}://", groups));
        }
        return SvgChart.Render($"PAIR0 throughput by message size{(plan.Quick ? " (quick run, noisy)" : "")}", panels,
            [.. CompareCommand.Libraries.Select(Patterns.DisplayName)], "messages per second");
    }

    private void Throughput(CompareMatrix.Kind kind, string title)
    {
        Line($"## {title}");
        Line();
        Header("Transport", "Size");
        foreach (string transport in plan.Transports)
        {
            foreach (int size in CompareCommand.Sizes)
            {
                Row([transport, SizeLabel(size), .. CompareCommand.Libraries.Select(library =>
                {
                    CompareMatrix.Run run = Find(plan, kind, transport, size, library);
                    return results.Get<ThroughputResult>(run) is { } r
                        ? string.Create(Inv, $"{r.MessagesPerSecond:N0} · {r.MessagesPerSecond * size / 1e6:F1} MB/s")
                        : results.NoteFor(run) ?? "–";
                })]);
            }
        }
        Line();
        Line($"Counts: {string.Join(", ", CompareCommand.Sizes.Select(s => $"{SizeLabel(s)} × {CompareMatrix.ThroughputCount(s, plan.Quick):N0}"))} messages per run.");
        Line();
    }

    private void Latency()
    {
        Line("## PAIR0 ping-pong latency (one-way µs: mean / p50 / p99)");
        Line();
        Header("Transport", "Size");
        foreach (string transport in plan.Transports)
        {
            foreach (int size in CompareCommand.Sizes)
            {
                Row([transport, SizeLabel(size), .. CompareCommand.Libraries.Select(library =>
                {
                    CompareMatrix.Run run = Find(plan, CompareMatrix.Kind.PairLatency, transport, size, library);
                    return results.Get<LatencyResult>(run) is { } r
                        ? string.Create(Inv, $"{r.MeanMicroseconds:F1} / {r.P50Microseconds:F1} / {r.P99Microseconds:F1}")
                        : results.NoteFor(run) ?? "–";
                })]);
            }
        }
        Line();
        Line($"{plan.Runs.First(r => r.Kind == CompareMatrix.Kind.PairLatency).Count:N0} timed round trips per run.");
        Line();
    }

    private void PubSub()
    {
        Line($"## PUB/SUB: {plan.PubSubCount:N0} × 1 KiB, one producer, one consumer");
        Line();
        Line("PUB never blocks: when a queue on the way is full the message is dropped (every SP implementation does this), so the producer's rate, the consumer's rate and the loss are three different numbers. "
            + $"Queues are sized for it: {CompareMatrix.PubSubQueueDepth:N0} messages on the PUB's send side and the SUB's receive side (NNG_OPT_SENDBUF/RECVBUF, SpNet SendBufferSize/ReceiveBufferSize; nanomsg NN_SNDBUF/NN_RCVBUF = that many KiB). "
            + "First the flood (the producer sends as fast as it can), then the producer paced at fixed rates: the highest rate with no loss is what a subscriber keeps up with.");
        Line();
        Line("| Library | Transport | Sender msg/s | Receiver msg/s | Received | Loss |");
        Line("|---|---|---:|---:|---:|---:|");
        foreach (CompareMatrix.Run run in plan.Runs.Where(r => r.Kind == CompareMatrix.Kind.PubSub))
        {
            Line(results.Get<PubSubResult>(run) is { } p
                ? string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {run.Transport} | {p.SenderRate:N0} | {p.ReceiverRate:N0} | {p.Received:N0} | {p.LossPercent:F1} % |")
                : $"| {Patterns.DisplayName(run.Library)} | {run.Transport} | {results.NoteFor(run)} | | | |");
        }
        Line();
        Line($"### Paced producer (tcp, 1 KiB, {plan.PacedDuration.TotalSeconds:0.#} s per rate, at most 1,000,000 messages)");
        Line();
        Line("| Library | Target msg/s | Sender msg/s | Receiver msg/s | Received | Loss |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (CompareMatrix.Run run in plan.Runs.Where(r => r.Kind == CompareMatrix.Kind.PubSubPaced))
        {
            Line(results.Get<PubSubResult>(run) is { } p
                ? string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {run.Parameter:N0} | {p.SenderRate:N0} | {p.ReceiverRate:N0} | {p.Received:N0} of {p.Sent:N0} | {p.LossPercent:F2} % |")
                : string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {run.Parameter:N0} | {results.NoteFor(run)} | | | |"));
        }
        Line();
    }

    private void FanOut()
    {
        Line($"## Fan-out: 1 PUB → {plan.FanOutSubscribers} SUB (tcp, 64 B)");
        Line();
        Line("Each subscriber is its own socket with its own connection (a thread each, or an async loop for SpNet async). Delivered = messages received by all subscribers together per second.");
        Line();
        Line("| Library | Sent | Sender msg/s | Delivered msg/s | Loss |");
        Line("|---|---:|---:|---:|---:|");
        foreach (CompareMatrix.Run run in plan.Runs.Where(r => r.Kind == CompareMatrix.Kind.FanOut))
        {
            Line(results.Get<ScaleRuns.FanOutResult>(run) is { } f
                ? string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {f.Sent:N0} | {f.SenderRate:N0} | {f.DeliveredRate:N0} | {f.LossPercent:F1} % |")
                : $"| {Patterns.DisplayName(run.Library)} | {results.NoteFor(run)} | | | |");
        }
        Line();
    }

    private void Subscriptions()
    {
        Line("## SUB matching cost against the number of subscriptions (inproc, 64 B)");
        Line();
        Line("The SUB holds N topics `t/000000/`…; every message carries the last one added (the worst case for NNG 1.5.2's list, which scans topics in insertion order; SpNet and nanomsg use tries). "
            + "Receiver msg/s is what the subscriber takes while the publisher floods; \"match\" is SpNet's `SubscriptionSet.Matches` alone.");
        Line();
        Line("| Library | Subscriptions | Subscribe time | Receiver msg/s | Loss | SpNet match (ns) |");
        Line("|---|---:|---:|---:|---:|---:|");
        foreach (CompareMatrix.Run run in plan.Runs.Where(r => r.Kind == CompareMatrix.Kind.Subscriptions))
        {
            Line(results.Get<ScaleRuns.SubscriptionResult>(run) is { } s
                ? string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {s.Subscriptions:N0} | {s.SubscribeTime.TotalMilliseconds:F0} ms | {s.Flow.ReceiverRate:N0} | {s.Flow.LossPercent:F1} % | {(s.MatchNanoseconds is double ns ? ns.ToString("F1", Inv) : "")} |")
                : string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {run.Parameter:N0} | {results.NoteFor(run)} | | | |"));
        }
        Line();
    }

    private void ReqRep()
    {
        Line($"## REQ/REP with contexts: {plan.ReqRepClients:N0} REQ clients → 1 REP with {CompareMatrix.ReqRepWorkers} worker contexts (tcp, 64 B, {plan.ReqRepDuration.TotalSeconds:F0} s)");
        Line();
        Line($"One REP socket listens; {CompareMatrix.ReqRepWorkers} REP contexts echo each request. The clients are contexts on one REQ socket (one connection), each with one request outstanding, "
            + "sending again as soon as its reply is in. Every request carries its client's index and a sequence number, and the reply must echo it: a reply that does not is *mismatched*, one that does not come within 10 s is *lost*. "
            + "**SpNet**: the clients are async loops on the thread pool in both columns (a blocking thread per client would measure the scheduler); *sync* runs the REP workers as dedicated threads making blocking context calls, *async* as async loops. "
            + "**NNG 1.5.2** has no blocking context calls: each REP worker is a thread doing `nng_ctx_recv`/`nng_ctx_send` + `nng_aio_wait`, and each client is an aio whose completion callback sends the next request, so the clients run on NNG's own task threads. "
            + "**nanomsg** has no contexts. `spbench reqrep --sockets` runs the clients as separate REQ sockets instead. "
            + "Allocated is managed bytes per round trip for the whole process (clients and REP together; NNG's is the harness's callbacks).");
        Line();
        Line("| Library | Round trips | Round trips/s | p50 | p99 | p99.9 | Lost | Mismatched | Allocated |");
        Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (CompareMatrix.Run run in plan.Runs.Where(r => r.Kind == CompareMatrix.Kind.ReqRep))
        {
            Line(results.Get<ReqRepResult>(run) is { } q
                ? string.Create(Inv, $"| {Patterns.DisplayName(run.Library)} | {q.Trips:N0} | {q.TripsPerSecond:N0} | {q.P50Microseconds / 1000:F2} ms | {q.P99Microseconds / 1000:F2} ms | {q.P999Microseconds / 1000:F2} ms | {q.Lost:N0} | {q.Mismatched:N0} | {q.Allocation.BytesPerMessage:F0} B/trip |")
                : $"| {Patterns.DisplayName(run.Library)} | {results.NoteFor(run)} | | | | | | | |");
        }
        Line();
    }

    private void Allocations()
    {
        Line("## Managed allocation per message (whole process, both sides)");
        Line();
        Line("`GC.GetTotalAllocatedBytes(precise: true)` and gen0 collections around the timed loop. Both sides run in this process, so a PAIR message is counted once for its sender and once for its receiver; the NNG and nanomsg columns show what the harness itself allocates (should be ~0).");
        Line();
        Line("| Run | Transport | Size | " + string.Join(" | ", CompareCommand.Libraries.Select(Patterns.DisplayName)) + " |");
        Line("|---|---|---|" + string.Concat(CompareCommand.Libraries.Select(_ => "---:|")));
        foreach (CompareMatrix.Kind kind in new[] { CompareMatrix.Kind.PairThroughput, CompareMatrix.Kind.PushThroughput, CompareMatrix.Kind.PairLatency })
        {
            foreach (string transport in plan.Transports)
            {
                foreach (int size in CompareCommand.Sizes)
                {
                    IEnumerable<string> cells = CompareCommand.Libraries.Select(library =>
                    {
                        CompareMatrix.Run run = Find(plan, kind, transport, size, library);
                        AllocationSample? a = results.Get<ThroughputResult>(run)?.Allocation ?? results.Get<LatencyResult>(run)?.Allocation;
                        return a is { } s ? string.Create(Inv, $"{s.BytesPerMessage:F1} B, {s.Gen0Per100k:F1} gen0/100k") : "–";
                    });
                    Line($"| {KindName(kind)} | {transport} | {SizeLabel(size)} | {string.Join(" | ", cells)} |");
                }
            }
        }
        Line();
    }

    private static string KindName(CompareMatrix.Kind kind) => kind switch
    {
        CompareMatrix.Kind.PairThroughput => "PAIR0 thr",
        CompareMatrix.Kind.PushThroughput => "PUSH/PULL thr",
        CompareMatrix.Kind.PairLatency => "PAIR0 lat",
        _ => kind.ToString(),
    };

    private void Header(string first, string second)
    {
        Line($"| {first} | {second} | " + string.Join(" | ", CompareCommand.Libraries.Select(Patterns.DisplayName)) + " |");
        Line("|---|---|" + string.Concat(CompareCommand.Libraries.Select(_ => "---:|")));
    }

    private void Row(IEnumerable<string> cells) => Line("| " + string.Join(" | ", cells) + " |");

    private void Line(string text = "") => _md.Append(text).Append('\n');

    private static CompareMatrix.Run Find(CompareMatrix plan, CompareMatrix.Kind kind, string transport, int size, Library library) =>
        plan.Runs.First(r => r.Kind == kind && r.Transport == transport && r.Size == size && r.Library == library);

    public static string SizeLabel(int size) => size >= 1024 ? $"{size / 1024} KiB" : $"{size} B";
}
