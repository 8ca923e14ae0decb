using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>
/// <c>spbench pubsub</c>, <c>fanout</c>, <c>subs</c> and <c>reqrep</c>: one case of <c>compare</c> at a time, for the
/// libraries asked, each side in its own process (inproc: threads of one process; <c>--one-process</c>: always).
/// </summary>
internal sealed class ScaleCommands(TextWriter output, TextWriter error)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    public int FanOut(string[] args)
    {
        var options = Parse(args);
        int subscribers = options.Int("--subs", 100);
        int processes = options.Int("--processes", Math.Min(4, subscribers));
        if (processes < 1 || subscribers % processes != 0)
        {
            throw new BenchException($"fanout: --subs {subscribers} must split evenly over --processes {processes}");
        }
        int count = options.Int("--count", 10_000);
        int size = options.Int("--size", 64);
        string transport = options.Text("--transport", "tcp");
        foreach (Library library in options.Libraries)
        {
            error.WriteLine($"fan-out 1 -> {subscribers} ({processes} processes) over {transport}, {Patterns.DisplayName(library)}…");
            var c = new BenchCase(CaseKind.FanOut, library, transport, size, count, subscribers, processes);
            FanOutResult r = Run<FanOutResult>(c, options);
            output.WriteLine(string.Create(Inv, $"{Patterns.DisplayName(library)}: subscribers: {r.Subscribers}, sent: {r.Sent}, sender: {r.SenderRate:F0} [msg/s], delivered: {r.DeliveredRate:F0} [msg/s], loss: {r.LossPercent:F1} [%]"));
        }
        return 0;
    }

    public int Subscriptions(string[] args)
    {
        var options = Parse(args);
        int count = options.Int("--count", 200_000);
        int size = options.Int("--size", 64);
        string transport = options.Text("--transport", "tcp");
        int[] counts = [.. options.Text("--counts", "1,1000,100000").Split(',').Select(c => PerfOptions.ParseInt(c, "subscription count"))];
        foreach (Library library in options.Libraries)
        {
            foreach (int subscriptions in counts)
            {
                try
                {
                    SubscriptionResult r = Run<SubscriptionResult>(new BenchCase(CaseKind.Subscriptions, library, transport, size, count, subscriptions), options);
                    output.WriteLine(string.Create(Inv, $"{Patterns.DisplayName(library)}: subscriptions: {subscriptions}, subscribe: {r.SubscribeTime.TotalMilliseconds:F0} [ms], receiver: {r.Flow.ReceiverRate:F0} [msg/s], loss: {r.Flow.LossPercent:F1} [%]{(r.MatchNanoseconds is double ns ? string.Create(Inv, $", match: {ns:F1} [ns]") : "")}"));
                }
                catch (BenchException ex)
                {
                    output.WriteLine($"{Patterns.DisplayName(library)}: subscriptions: {subscriptions}, n/a: {ex.Message}");
                }
            }
        }
        return 0;
    }

    public int PubSub(string[] args)
    {
        var options = Parse(args);
        int count = options.Int("--count", 1_000_000);
        int size = options.Int("--size", 1024);
        int depth = options.Int("--depth", BenchCase.PubSubQueueDepth);
        int rate = options.Int("--rate", 0);
        string transport = options.Text("--transport", "tcp");
        foreach (Library library in options.Libraries)
        {
            error.WriteLine($"pub/sub {count} x {size} B over {transport}, queue depth {depth}, {(rate > 0 ? $"paced at {rate} msg/s" : "flooding")}, {Patterns.DisplayName(library)}…");
            var c = new BenchCase(rate > 0 ? CaseKind.PubSubPaced : CaseKind.PubSub, library, transport, size, count, rate, Depth: depth);
            PubSubResult r = Run<PubSubResult>(c, options);
            output.WriteLine(string.Create(Inv, $"{Patterns.DisplayName(library)}: sent: {r.Sent}, sender: {r.SenderRate:F0} [msg/s], received: {r.Received}, receiver: {r.ReceiverRate:F0} [msg/s], loss: {r.LossPercent:F2} [%], alloc: {r.Allocation.BytesPerMessage:F1} [B/msg]"));
        }
        return 0;
    }

    /// <summary>
    /// <c>spbench reqrep</c>: C REQ clients (contexts on one REQ socket, or <c>--sockets</c>: a socket each) against one
    /// REP answering with W worker contexts; prints round trips per second, latency percentiles, lost and mismatched
    /// replies, and the bytes both processes allocated per round trip.
    /// </summary>
    public int ReqRep(string[] args)
    {
        var options = Parse(args, flags: ["--sockets"]);
        if (options.Has("--seconds") && options.Has("--trips"))
        {
            throw new BenchException("reqrep: give --seconds or --trips, not both");
        }
        bool byTrips = options.Has("--trips");
        int count = byTrips ? options.Int("--trips", 0) : checked(options.Int("--seconds", 5) * 1000);
        foreach (Library library in options.Libraries)
        {
            string name = Patterns.DisplayName(library);
            var c = new BenchCase(CaseKind.ReqRep, library, options.Text("--transport", "tcp"), options.Int("--size", 64), count,
                options.Int("--clients", 1000), Workers: options.Int("--workers", BenchCase.ReqRepWorkers), ByTrips: byTrips, Sockets: options.Has("--sockets"));
            ReqRepSides.Validate(c.ReqRep());
            if (ReqRepSides.Unsupported(library) is string reason)
            {
                output.WriteLine($"{name}: n/a ({reason})");
                continue;
            }
            ReqRepOptions run = c.ReqRep();
            error.WriteLine($"req/rep {run.ClientsDescription} -> 1 REP with {run.Workers} contexts over {run.Transport}, {name}…");
            ReqRepResult r = Run<ReqRepResult>(c, options);
            output.WriteLine(string.Create(Inv, $"{name}: clients: {run.ClientsDescription}, workers: {run.Workers}, round trips: {r.Trips} in {r.Elapsed.TotalSeconds:F2} [s], rate: {r.TripsPerSecond:F0} [trips/s], latency p50: {r.P50Microseconds / 1000:F2} p99: {r.P99Microseconds / 1000:F2} p99.9: {r.P999Microseconds / 1000:F2} [ms], lost: {r.Lost}, mismatched: {r.Mismatched}, allocated: {r.Allocation.BytesPerMessage:F0} [B/trip] (REQ {r.Client.BytesPerMessage:F0} + REP {r.Server.BytesPerMessage:F0})"));
        }
        return 0;
    }

    private static T Run<T>(BenchCase c, Options options) where T : class
    {
        if (CaseSides.Unsupported(c) is string reason)
        {
            throw new BenchException($"n/a: {reason}");
        }
        Placement placement = options.Has("--one-process") ? Placement.OneProcess : Placement.Processes;
        return (T)CaseOutcome.From(c, CaseRunner.Run(c, placement, Limit));
    }

    private static Options Parse(string[] args, string[]? flags = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--one-process" || (flags is not null && flags.Contains(args[i])))
            {
                values[args[i]] = "";
                continue;
            }
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new BenchException($"unexpected argument {args[i]}");
            }
            values[args[i]] = args[++i];
        }
        return new Options(values);
    }

    private sealed class Options(Dictionary<string, string> values)
    {
        public int Int(string name, int fallback) => values.TryGetValue(name, out string? v) ? PerfOptions.ParseInt(v, name[2..]) : fallback;

        public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

        public bool Has(string name) => values.ContainsKey(name);

        public IEnumerable<Library> Libraries => values.TryGetValue("--lib", out string? v)
            ? v.Split(',').Select(Patterns.ParseLibrary)
            : CompareMatrix.Libraries.Where(NativeProbe.IsAvailable);
    }
}
