using System.Diagnostics;
using System.Globalization;
using SpNet.Bench.Harness;

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
        ThroughputServer(options, url, size, count, announce: true);
    }

    public void RemoteThroughput(PerfOptions options)
    {
        (string url, int size, int count) = Three(options, "remote_thr <connect-to> <msg-size> <count>", "count");
        ThroughputClient(options, url, size, count);
    }

    public void LocalLatency(PerfOptions options)
    {
        (string url, int size, int trips) = Three(options, "local_lat <listen-addr> <msg-size> <roundtrips>", "round-trips");
        LatencyServer(options, url, size, trips, announce: true);
    }

    public void RemoteLatency(PerfOptions options)
    {
        (string url, int size, int trips) = Three(options, "remote_lat <connect-to> <msg-size> <roundtrips>", "round-trips");
        LatencyClient(options, url, size, trips);
    }

    public void InprocThroughput(PerfOptions options)
    {
        (int size, int count) = Two(options, "inproc_thr <msg-size> <count>", "count");
        string url = options.Url ?? "inproc://throughput-test";
        Task server = Workers.Start(Library.SpNet, "local_thr", () =>
        {
            ThroughputServer(options, url, size, count, announce: false);
            return Task.CompletedTask;
        });
        Thread.Sleep(100);
        ThroughputClient(options, url, size, count);
        Workers.Wait(server, TimeSpan.FromMilliseconds(options.TimeoutMs + 5000), "local_thr");
    }

    public void InprocLatency(PerfOptions options)
    {
        (int size, int trips) = Two(options, "inproc_lat <msg-size> <count>", "count");
        string url = options.Url ?? "inproc://latency_test";
        Task server = Workers.Start(Library.SpNet, "local_lat", () =>
        {
            LatencyServer(options, url, size, trips, announce: false);
            return Task.CompletedTask;
        });
        Thread.Sleep(100);
        LatencyClient(options, url, size, trips);
        Workers.Wait(server, TimeSpan.FromMilliseconds(options.TimeoutMs + 5000), "local_lat");
    }

    private void ThroughputServer(PerfOptions options, string url, int size, int count, bool announce)
    {
        using BenchSocket socket = BenchSocket.Open(options.Library, Patterns.ThroughputReceiver(options.Pattern));
        socket.SetQueueDepth(128);
        socket.SetReceiveTimeout(options.TimeoutMs);
        if (options.Pattern == Pattern.Pub)
        {
            socket.Subscribe([]);
        }
        string bound = socket.Listen(url);
        if (announce && bound != url)
        {
            error.WriteLine($"listening on {bound}");
            error.Flush();
        }
        byte[] buffer = new byte[Math.Max(size, 1)];
        _ = Run(socket.ReceiveAsync(buffer)); // first synchronisation message
        if (options.Pattern == Pattern.Pub)
        {
            socket.SetReceiveTimeout(Math.Min(options.TimeoutMs, 2000)); // silence this long ends a lossy run
        }
        long start = Stopwatch.GetTimestamp();
        long last = start;
        int received = 0;
        try
        {
            for (; received < count; received++)
            {
                int length = Run(socket.ReceiveAsync(buffer));
                if (length != size)
                {
                    throw new BenchException($"wrong message size: {length} != {size}");
                }
                last = Stopwatch.GetTimestamp();
            }
        }
        catch (BenchTimeoutException) when (options.Pattern == Pattern.Pub && received > 0)
        {
            // PUB drops when a queue is full: report what arrived.
            error.WriteLine($"pub/sub: {count - received} of {count} messages lost");
        }
        double total = Stopwatch.GetElapsedTime(start, last).TotalSeconds;
        if (Patterns.IsBidirectional(options.Pattern))
        {
            socket.SetSendTimeout(1000);
            try
            {
                socket.Send([]);
            }
            catch (BenchTimeoutException)
            {
                // the sender is gone already; perf ignores this too
            }
            Thread.Sleep(200);
        }
        double messagesPerSecond = received / total;
        double megabits = messagesPerSecond * 8 * size / (1024 * 1024);
        output.WriteLine(string.Create(Invariant, $"total time: {total:F3} [s]"));
        output.WriteLine(string.Create(Invariant, $"message size: {size} [B]"));
        output.WriteLine(string.Create(Invariant, $"message count: {received}"));
        output.WriteLine(string.Create(Invariant, $"throughput: {messagesPerSecond:F0} [msg/s]"));
        output.WriteLine(string.Create(Invariant, $"throughput: {megabits:F3} [Mb/s]"));
        output.Flush();
    }

    private void ThroughputClient(PerfOptions options, string url, int size, int count)
    {
        count++; // perf sends one message more than asked
        using BenchSocket socket = BenchSocket.Open(options.Library, Patterns.ThroughputSender(options.Pattern));
        socket.SetQueueDepth(128);
        socket.SetReceiveTimeout(5000);
        socket.SetSendTimeout(options.TimeoutMs);
        socket.Dial(url);
        byte[] body = new byte[size];
        Run(socket.SendAsync(ReadOnlyMemory<byte>.Empty));
        for (int i = 0; i < count; i++)
        {
            Run(socket.SendAsync(body));
        }
        if (Patterns.IsBidirectional(options.Pattern))
        {
            try
            {
                _ = socket.Receive(new byte[16]); // the completion message
            }
            catch (BenchTimeoutException)
            {
                // perf ignores a missing completion message too
            }
        }
        else
        {
            Thread.Sleep(200); // no way back: give the queue a moment (the close lingers as well)
        }
    }

    private void LatencyServer(PerfOptions options, string url, int size, int trips, bool announce)
    {
        using BenchSocket socket = BenchSocket.Open(options.Library, Patterns.LatencyServer(options.Pattern));
        socket.SetReceiveTimeout(options.TimeoutMs);
        string bound = socket.Listen(url);
        if (announce && bound != url)
        {
            error.WriteLine($"listening on {bound}");
            error.Flush();
        }
        byte[] buffer = new byte[Math.Max(size, 1)];
        for (int i = 0; i < trips; i++)
        {
            int length = Run(socket.ReceiveAsync(buffer));
            if (length != size)
            {
                throw new BenchException($"wrong message size: {length} != {size}");
            }
            Run(socket.SendAsync(buffer.AsMemory(0, length)));
        }
        Thread.Sleep(100);
    }

    private void LatencyClient(PerfOptions options, string url, int size, int trips)
    {
        using BenchSocket socket = BenchSocket.Open(options.Library, Patterns.LatencyClient(options.Pattern));
        socket.SetReceiveTimeout(options.TimeoutMs);
        socket.Dial(url);
        Thread.Sleep(100);
        byte[] body = new byte[size];
        byte[] buffer = new byte[Math.Max(size, 1)];
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < trips; i++)
        {
            Run(socket.SendAsync(body));
            _ = Run(socket.ReceiveAsync(buffer));
        }
        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double latency = total * 1_000_000 / (trips * 2.0);
        output.WriteLine(string.Create(Invariant, $"total time: {total:F3} [s]"));
        output.WriteLine(string.Create(Invariant, $"message size: {size} [B]"));
        output.WriteLine(string.Create(Invariant, $"round trip count: {trips}"));
        output.WriteLine(string.Create(Invariant, $"average latency: {latency:F3} [us]"));
        output.Flush();
    }

    private static void Run(ValueTask pending)
    {
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }

    private static T Run<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    private static (string Url, int Size, int Count) Three(PerfOptions options, string usage, string countName) =>
        options.Positional.Count == 3
            ? (options.Positional[0], PerfOptions.ParseInt(options.Positional[1], "message size"), PerfOptions.ParseInt(options.Positional[2], countName))
            : throw new BenchException("Usage: " + usage);

    private static (int Size, int Count) Two(PerfOptions options, string usage, string countName) =>
        options.Positional.Count == 2
            ? (PerfOptions.ParseInt(options.Positional[0], "message size"), PerfOptions.ParseInt(options.Positional[1], countName))
            : throw new BenchException("Usage: " + usage);
}
