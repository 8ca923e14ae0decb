using System.Diagnostics;

namespace SpNet.Bench.Harness;

/// <summary>
/// The in-process runs behind <c>compare</c>: both sides in this process, each library talking to itself, each side on
/// a dedicated thread (SpNet async: on the thread pool), the same loops for every library.
/// </summary>
internal static class Runs
{
    private const int ReceiveTimeoutMs = 10_000;
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(120);

    /// <summary>PAIR or PUSH/PULL: one empty message starts the clock, then <paramref name="count"/> messages of <paramref name="size"/>.</summary>
    public static ThroughputResult Throughput(Library library, string transport, Pattern pattern, int size, int count)
    {
        using BenchSocket receiver = BenchSocket.Open(library, Patterns.ThroughputReceiver(pattern));
        using BenchSocket sender = BenchSocket.Open(library, Patterns.ThroughputSender(pattern));
        receiver.SetQueueDepth(128);
        sender.SetQueueDepth(128);
        receiver.SetReceiveTimeout(ReceiveTimeoutMs);
        sender.SetSendTimeout(ReceiveTimeoutMs);
        string url = receiver.Listen(Addresses.For(transport));
        try
        {
            sender.Dial(url);
            using var finished = new ManualResetEventSlim();
            ThroughputResult? result = null;
            Task receive = Workers.Start(library, "receiver", async () =>
            {
                byte[] buffer = new byte[Math.Max(size, 1)];
                try
                {
                    _ = await receiver.ReceiveAsync(buffer); // start message
                    var mark = AllocationSample.Mark();
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < count; i++)
                    {
                        int length = await receiver.ReceiveAsync(buffer);
                        if (length != size)
                        {
                            throw new BenchException($"wrong message size: {length} != {size}");
                        }
                    }
                    TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                    result = new ThroughputResult(size, count, elapsed, AllocationSample.Since(mark, count));
                }
                finally
                {
                    finished.Set();
                }
            });
            Task send = Workers.Start(library, "sender", async () =>
            {
                byte[] body = new byte[size];
                await sender.SendAsync(ReadOnlyMemory<byte>.Empty);
                for (int i = 0; i < count && !finished.IsSet; i++)
                {
                    await sender.SendAsync(body);
                }
                // Keep the socket open until the receiver has everything (no linger differences between libraries).
                finished.Wait(RunLimit);
            });
            Workers.Wait(receive, RunLimit, "receiver");
            Workers.Wait(send, RunLimit, "sender");
            return result ?? throw new BenchException("no result");
        }
        finally
        {
            Addresses.CleanUp(url);
        }
    }

    /// <summary>PAIR ping-pong: <paramref name="trips"/> timed round trips after a short warm-up; one-way = round trip ÷ 2.</summary>
    public static LatencyResult Latency(Library library, string transport, Pattern pattern, int size, int trips)
    {
        const int warmUp = 100;
        using BenchSocket server = BenchSocket.Open(library, Patterns.LatencyServer(pattern));
        using BenchSocket client = BenchSocket.Open(library, Patterns.LatencyClient(pattern));
        server.SetReceiveTimeout(ReceiveTimeoutMs);
        client.SetReceiveTimeout(ReceiveTimeoutMs);
        string url = server.Listen(Addresses.For(transport));
        try
        {
            client.Dial(url);
            Task echo = Workers.Start(library, "echo", async () =>
            {
                byte[] buffer = new byte[Math.Max(size, 1)];
                for (int i = 0; i < trips + warmUp; i++)
                {
                    int length = await server.ReceiveAsync(buffer);
                    await server.SendAsync(buffer.AsMemory(0, length));
                }
            });
            long[] roundTrips = new long[trips];
            AllocationSample allocation = default;
            Task ping = Workers.Start(library, "ping", async () =>
            {
                byte[] body = new byte[size];
                byte[] buffer = new byte[Math.Max(size, 1)];
                for (int i = 0; i < warmUp; i++)
                {
                    await client.SendAsync(body);
                    _ = await client.ReceiveAsync(buffer);
                }
                var mark = AllocationSample.Mark();
                for (int i = 0; i < trips; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    await client.SendAsync(body);
                    int length = await client.ReceiveAsync(buffer);
                    roundTrips[i] = Stopwatch.GetTimestamp() - start;
                    if (length != size)
                    {
                        throw new BenchException($"wrong message size: {length} != {size}");
                    }
                }
                allocation = AllocationSample.Since(mark, 2L * trips);
            });
            Workers.Wait(ping, RunLimit, "ping");
            Workers.Wait(echo, RunLimit, "echo");
            Array.Sort(roundTrips);
            double toOneWayMicros = 1e6 / Stopwatch.Frequency / 2;
            double mean = roundTrips.Average() * toOneWayMicros;
            return new LatencyResult(size, trips, mean, Percentile(roundTrips, 0.50) * toOneWayMicros, Percentile(roundTrips, 0.99) * toOneWayMicros, allocation);
        }
        finally
        {
            Addresses.CleanUp(url);
        }
    }

    /// <summary>
    /// One PUB, one SUB subscribed to everything: the publisher sends <paramref name="count"/> messages as fast as it can
    /// (PUB never blocks: a full queue drops), the subscriber counts what arrives until 1 s of silence.
    /// </summary>
    /// <param name="queueDepth">Send queue of the PUB and receive queue of the SUB, in messages (NNG's SENDBUF/RECVBUF).</param>
    /// <param name="rate">Messages per second the producer aims for; 0 floods (no pacing).</param>
    public static PubSubResult PubSub(Library library, string transport, int size, int count, int subscriptions = 0, Action<BenchSocket>? configureSub = null, int queueDepth = 128, int rate = 0)
    {
        using BenchSocket pub = BenchSocket.Open(library, SocketKind.Pub);
        using BenchSocket sub = BenchSocket.Open(library, SocketKind.Sub);
        pub.SetQueueDepth(queueDepth);
        sub.SetQueueDepth(queueDepth);
        if (configureSub is null)
        {
            sub.Subscribe([]);
        }
        else
        {
            configureSub(sub);
        }
        string url = pub.Listen(Addresses.For(transport));
        try
        {
            sub.Dial(url);
            byte[] body = new byte[size];
            Probe.TopicInto(body, subscriptions);
            WaitUntilSubscribed(pub, [sub], subscriptions);

            long received = 0;
            double receiverRate = 0;
            using var sendingDone = new ManualResetEventSlim();
            Task receive = Workers.Start(library, "subscriber", async () =>
            {
                byte[] buffer = new byte[Math.Max(size, 16)];
                sub.SetReceiveTimeout(1000);
                long first = 0, last = 0;
                while (received < count)
                {
                    int length;
                    try
                    {
                        length = await sub.ReceiveAsync(buffer);
                    }
                    catch (BenchTimeoutException)
                    {
                        if (sendingDone.IsSet)
                        {
                            break;
                        }
                        continue;
                    }
                    if (length != size)
                    {
                        continue; // a late probe
                    }
                    last = Stopwatch.GetTimestamp();
                    if (received++ == 0)
                    {
                        first = last;
                    }
                }
                receiverRate = received > 1 ? (received - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds : 0;
            });
            var mark = AllocationSample.Mark();
            long start = Stopwatch.GetTimestamp();
            if (rate <= 0)
            {
                for (int i = 0; i < count; i++)
                {
                    pub.Send(body);
                }
            }
            else
            {
                // Paced: message i is due at start + i / rate; spin between batches rather than sleep (timer
                // resolution is ~1 ms, far coarser than the gaps).
                double ticksPerMessage = (double)Stopwatch.Frequency / rate;
                for (int i = 0; i < count; i++)
                {
                    long due = start + (long)(i * ticksPerMessage);
                    while (Stopwatch.GetTimestamp() < due)
                    {
                        Thread.SpinWait(20);
                    }
                    pub.Send(body);
                }
            }
            double senderRate = count / Stopwatch.GetElapsedTime(start).TotalSeconds;
            sendingDone.Set();
            Workers.Wait(receive, RunLimit, "subscriber");
            AllocationSample allocation = AllocationSample.Since(mark, count);
            return new PubSubResult(size, count, received, senderRate, receiverRate, allocation);
        }
        finally
        {
            Addresses.CleanUp(url);
        }
    }

    /// <summary>Sends probes until every subscriber has seen one (so no run starts before its pipes are up), bounded to 10 s.</summary>
    public static void WaitUntilSubscribed(BenchSocket pub, IReadOnlyList<BenchSocket> subs, int subscriptions)
    {
        byte[] probe = Probe.Create(subscriptions);
        byte[] buffer = new byte[64];
        var pending = new List<BenchSocket>(subs);
        long deadline = Environment.TickCount64 + 10_000;
        foreach (BenchSocket sub in subs)
        {
            sub.SetReceiveTimeout(5);
        }
        while (pending.Count > 0)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new BenchException($"{pending.Count} subscriber(s) not connected after 10 s");
            }
            pub.Send(probe);
            for (int i = pending.Count - 1; i >= 0; i--)
            {
                try
                {
                    if (pending[i].Receive(buffer) == probe.Length)
                    {
                        pending.RemoveAt(i);
                    }
                }
                catch (BenchTimeoutException)
                {
                    // not yet
                }
            }
        }
        // Drain probes still in flight (each subscriber may hold a few more).
        foreach (BenchSocket sub in subs)
        {
            sub.SetReceiveTimeout(20);
            for (int i = 0; i < 10_000; i++)
            {
                try
                {
                    _ = sub.Receive(buffer);
                }
                catch (BenchTimeoutException)
                {
                    break;
                }
            }
        }
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
