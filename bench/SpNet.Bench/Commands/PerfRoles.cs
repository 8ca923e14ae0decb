using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>
/// NNG 1.5.2's perf roles (src/tools/perf/perf.c) with the same arguments, the same exchange on the wire and the same
/// output lines, so either side can face NNG's perf (or nanomsg's local_thr/remote_thr…):
/// <list type="bullet">
/// <item>remote_thr dials, sends one empty message, then COUNT+1 messages of SIZE bytes (perf's own off-by-one), then
/// waits up to 5 s for an empty reply.</item>
/// <item>local_thr listens, takes the empty message, times COUNT messages of SIZE, sends an empty reply, waits 200 ms.</item>
/// <item>remote_lat dials, waits 100 ms, times TRIPS send/receive pairs; local_lat listens and echoes TRIPS messages.</item>
/// </list>
/// </summary>
internal sealed class PerfRoles(TextWriter output, TextWriter error)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public void LocalThroughput(PerfOptions options)
    {
        (string url, int size, int count) = Three(options, "local_thr <listen-addr> <msg-size> <count>", "count");
        var link = new LoneSideLink("receiver", url, error);
        ThroughputSides.Receive(link, Throughput(options, size, count), url).GetAwaiter().GetResult();
        PrintThroughput(link.Reports, size, count);
    }

    public void RemoteThroughput(PerfOptions options)
    {
        (string url, int size, int count) = Three(options, "remote_thr <connect-to> <msg-size> <count>", "count");
        ThroughputSides.Send(new LoneSideLink("sender", url, error), Throughput(options, size, count), url).GetAwaiter().GetResult();
    }

    public void LocalLatency(PerfOptions options)
    {
        (string url, int size, int trips) = Three(options, "local_lat <listen-addr> <msg-size> <roundtrips>", "round-trips");
        LatencySides.Echo(new LoneSideLink("echo", url, error), Latency(options, size, trips), url).GetAwaiter().GetResult();
    }

    public void RemoteLatency(PerfOptions options)
    {
        (string url, int size, int trips) = Three(options, "remote_lat <connect-to> <msg-size> <roundtrips>", "round-trips");
        var link = new LoneSideLink("ping", url, error);
        LatencySides.Ping(link, Latency(options, size, trips), url).GetAwaiter().GetResult();
        PrintLatency(link.Reports, size, trips);
    }

    /// <summary>Both throughput roles as threads of this process (the sides of <c>compare</c>, placed together).</summary>
    public void InprocThroughput(PerfOptions options)
    {
        (int size, int count) = Two(options, "inproc_thr <msg-size> <count>", "count");
        ThroughputPlan plan = Throughput(options, size, count);
        CaseReports reports = BothHere(options, "inproc://throughput-test",
            new("receiver", (link, url) => ThroughputSides.Receive(link, plan, url)), new("sender", (link, url) => ThroughputSides.Send(link, plan, url)));
        PrintThroughput(reports.Of("receiver"), size, count);
    }

    /// <summary>Both latency roles as threads of this process.</summary>
    public void InprocLatency(PerfOptions options)
    {
        (int size, int trips) = Two(options, "inproc_lat <msg-size> <count>", "count");
        LatencyPlan plan = Latency(options, size, trips);
        CaseReports reports = BothHere(options, "inproc://latency_test",
            new("echo", (link, url) => LatencySides.Echo(link, plan, url)), new("ping", (link, url) => LatencySides.Ping(link, plan, url)));
        PrintLatency(reports.Of("ping"), size, trips);
    }

    private static CaseReports BothHere(PerfOptions options, string defaultUrl, Side listening, Side dialing) =>
        CaseRunner.RunHere([listening, dialing], options.Url ?? defaultUrl, TimeSpan.FromMilliseconds(options.TimeoutMs + 5000));

    private static ThroughputPlan Throughput(PerfOptions options, int size, int count) =>
        new(options.Library, options.Pattern, size, count, WarmUp: 0, options.TimeoutMs);

    private static LatencyPlan Latency(PerfOptions options, int size, int trips) =>
        new(options.Library, options.Pattern, size, trips, WarmUp: 0, options.TimeoutMs);

    private void PrintThroughput(IReadOnlyDictionary<string, double> figures, int size, int count)
    {
        int received = (int)figures["received"];
        if (received < count)
        {
            error.WriteLine($"pub/sub: {count - received} of {count} messages lost");
        }
        double total = figures["seconds"];
        double messagesPerSecond = received / total;
        double megabits = messagesPerSecond * 8 * size / (1024 * 1024);
        output.WriteLine(string.Create(Invariant, $"total time: {total:F3} [s]"));
        output.WriteLine(string.Create(Invariant, $"message size: {size} [B]"));
        output.WriteLine(string.Create(Invariant, $"message count: {received}"));
        output.WriteLine(string.Create(Invariant, $"throughput: {messagesPerSecond:F0} [msg/s]"));
        output.WriteLine(string.Create(Invariant, $"throughput: {megabits:F3} [Mb/s]"));
        output.Flush();
    }

    private void PrintLatency(IReadOnlyDictionary<string, double> figures, int size, int trips)
    {
        output.WriteLine(string.Create(Invariant, $"total time: {figures["seconds"]:F3} [s]"));
        output.WriteLine(string.Create(Invariant, $"message size: {size} [B]"));
        output.WriteLine(string.Create(Invariant, $"round trip count: {trips}"));
        output.WriteLine(string.Create(Invariant, $"average latency: {figures["mean"]:F3} [us]"));
        output.Flush();
    }

    private static (string Url, int Size, int Count) Three(PerfOptions options, string usage, string countName) =>
        options.Positional.Count == 3
            ? (options.Positional[0], PerfOptions.ParseInt(options.Positional[1], "message size"), PerfOptions.ParseInt(options.Positional[2], countName))
            : throw new BenchException("Usage: " + usage);

    private static (int Size, int Count) Two(PerfOptions options, string usage, string countName) =>
        options.Positional.Count == 2
            ? (PerfOptions.ParseInt(options.Positional[0], "message size"), PerfOptions.ParseInt(options.Positional[1], countName))
            : throw new BenchException("Usage: " + usage);
}
