using System.Globalization;
using SpNet.Bench.Harness;

namespace SpNet.Bench.Commands;

/// <summary><c>spbench fanout</c>, <c>spbench subs</c> and <c>spbench reqrep</c>: the scale cases on their own.</summary>
internal sealed class ScaleCommands(TextWriter output, TextWriter error)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public int FanOut(string[] args)
    {
        var options = Parse(args);
        int subscribers = options.Int("--subs", 100);
        int count = options.Int("--count", 10_000);
        int size = options.Int("--size", 64);
        string transport = options.Text("--transport", "tcp");
        foreach (Library library in options.Libraries)
        {
            error.WriteLine($"fan-out 1 -> {subscribers} over {transport}, {Patterns.DisplayName(library)}…");
            ScaleRuns.FanOutResult r = ScaleRuns.FanOut(library, transport, subscribers, size, count);
            output.WriteLine(string.Create(Inv, $"{Patterns.DisplayName(library)}: subscribers: {r.Subscribers}, sent: {r.Sent}, sender: {r.SenderRate:F0} [msg/s], delivered: {r.DeliveredRate:F0} [msg/s], loss: {r.LossPercent:F1} [%]"));
        }
        return 0;
    }

    public int Subscriptions(string[] args)
    {
        var options = Parse(args);
        int count = options.Int("--count", 200_000);
        int size = options.Int("--size", 64);
        string transport = options.Text("--transport", "inproc");
        int[] counts = [.. options.Text("--counts", "1,1000,100000").Split(',').Select(c => PerfOptions.ParseInt(c, "subscription count"))];
        foreach (Library library in options.Libraries)
        {
            foreach (int subscriptions in counts)
            {
                try
                {
                    ScaleRuns.SubscriptionResult r = ScaleRuns.Subscriptions(library, transport, subscriptions, size, count, TimeSpan.FromSeconds(60));
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
        int depth = options.Int("--depth", 128);
        int rate = options.Int("--rate", 0);
        string transport = options.Text("--transport", "tcp");
        foreach (Library library in options.Libraries)
        {
            error.WriteLine($"pub/sub {count} x {size} B over {transport}, queue depth {depth}, {(rate > 0 ? $"paced at {rate} msg/s" : "flooding")}, {Patterns.DisplayName(library)}…");
            PubSubResult r = Runs.PubSub(library, transport, size, count, queueDepth: depth, rate: rate);
            output.WriteLine(string.Create(Inv, $"{Patterns.DisplayName(library)}: sent: {r.Sent}, sender: {r.SenderRate:F0} [msg/s], received: {r.Received}, receiver: {r.ReceiverRate:F0} [msg/s], loss: {r.LossPercent:F2} [%], alloc: {r.Allocation.BytesPerMessage:F1} [B/msg]"));
        }
        return 0;
    }

    /// <summary>
    /// <c>spbench reqrep</c>: C REQ clients (contexts on one REQ socket, or <c>--sockets</c>: a socket each) against one
    /// REP answering with W worker contexts; prints round trips per second, latency percentiles, lost and mismatched replies.
    /// </summary>
    public int ReqRep(string[] args)
    {
        var options = Parse(args, flags: ["--sockets"]);
        if (options.Has("--seconds") && options.Has("--trips"))
        {
            throw new BenchException("reqrep: give --seconds or --trips, not both");
        }
        long? trips = options.Has("--trips") ? options.Int("--trips", 0) : null;
        TimeSpan? duration = trips is null ? TimeSpan.FromSeconds(options.Int("--seconds", 5)) : null;
        var run = new ReqRepOptions(
            options.Int("--clients", 1000),
            options.Int("--workers", 16),
            options.Int("--size", 64),
            options.Text("--transport", "tcp"),
            duration,
            trips,
            options.Has("--sockets"));
        foreach (Library library in options.Libraries)
        {
            string name = Patterns.DisplayName(library);
            if (library == Library.Nanomsg)
            {
                output.WriteLine($"{name}: n/a ({ReqRepRuns.NanomsgReason})");
                continue;
            }
            error.WriteLine($"req/rep {run.ClientsDescription} -> 1 REP with {run.Workers} contexts over {run.Transport}, {name}…");
            ReqRepResult r = ReqRepRuns.Run(library, run);
            output.WriteLine(string.Create(Inv, $"{name}: clients: {run.ClientsDescription}, workers: {run.Workers}, round trips: {r.Trips} in {r.Elapsed.TotalSeconds:F2} [s], rate: {r.TripsPerSecond:F0} [trips/s], latency p50: {r.P50Microseconds / 1000:F2} p99: {r.P99Microseconds / 1000:F2} p99.9: {r.P999Microseconds / 1000:F2} [ms], lost: {r.Lost}, mismatched: {r.Mismatched}, allocated: {r.Allocation.BytesPerMessage:F0} [B/trip]"));
        }
        return 0;
    }

    private static Options Parse(string[] args, string[]? flags = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (flags is not null && flags.Contains(args[i]))
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
            : CompareCommand.Libraries.Where(NativeProbe.IsAvailable);
    }
}
