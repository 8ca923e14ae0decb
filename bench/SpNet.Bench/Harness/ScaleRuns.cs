using System.Diagnostics;
using SpNet.Protocols.Routing;

namespace SpNet.Bench.Harness;

/// <summary>1 PUB → N SUB fan-out, and SUB matching cost against the number of subscriptions.</summary>
internal static class ScaleRuns
{
    public sealed record FanOutResult(int Subscribers, int Size, int Sent, long Delivered, double SenderRate, double DeliveredRate)
    {
        public double LossPercent => 100.0 * (1 - (double)Delivered / ((long)Sent * Subscribers));
    }

    public sealed record SubscriptionResult(int Subscriptions, TimeSpan SubscribeTime, PubSubResult Flow, double? MatchNanoseconds);

    public static FanOutResult FanOut(Library library, string transport, int subscribers, int size, int count)
    {
        using BenchSocket pub = BenchSocket.Open(library, SocketKind.Pub);
        pub.SetQueueDepth(128);
        string url = pub.Listen(Addresses.For(transport));
        var subs = new List<BenchSocket>();
        try
        {
            for (int i = 0; i < subscribers; i++)
            {
                BenchSocket sub = BenchSocket.Open(library, SocketKind.Sub);
                subs.Add(sub);
                sub.SetQueueDepth(128);
                sub.Subscribe([]);
                sub.Dial(url);
            }
            Runs.WaitUntilSubscribed(pub, subs, 0);
            long[] received = new long[subscribers];
            long lastTimestamp = 0;
            using var sendingDone = new ManualResetEventSlim();
            var workers = new Task[subscribers];
            for (int i = 0; i < subscribers; i++)
            {
                int index = i;
                BenchSocket sub = subs[i];
                sub.SetReceiveTimeout(1000);
                workers[i] = Workers.Start(library, $"sub{index}", async () =>
                {
                    byte[] buffer = new byte[Math.Max(size, 16)];
                    while (received[index] < count)
                    {
                        try
                        {
                            if (await sub.ReceiveAsync(buffer) != size)
                            {
                                continue; // late probe
                            }
                        }
                        catch (BenchTimeoutException)
                        {
                            if (sendingDone.IsSet)
                            {
                                break;
                            }
                            continue;
                        }
                        received[index]++;
                        long now = Stopwatch.GetTimestamp();
                        long seen = Volatile.Read(ref lastTimestamp);
                        while (now > seen && Interlocked.CompareExchange(ref lastTimestamp, now, seen) != seen)
                        {
                            seen = Volatile.Read(ref lastTimestamp);
                        }
                    }
                });
            }
            byte[] body = new byte[size];
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                pub.Send(body);
            }
            double senderRate = count / Stopwatch.GetElapsedTime(start).TotalSeconds;
            sendingDone.Set();
            Workers.Join(TimeSpan.FromSeconds(120), "fan-out subscribers", workers);
            long delivered = received.Sum();
            double seconds = Stopwatch.GetElapsedTime(start, Math.Max(start + 1, Volatile.Read(ref lastTimestamp))).TotalSeconds;
            return new FanOutResult(subscribers, size, count, delivered, senderRate, delivered / seconds);
        }
        finally
        {
            foreach (BenchSocket sub in subs)
            {
                sub.Dispose();
            }
            Addresses.CleanUp(url);
        }
    }

    /// <summary>A SUB holding <paramref name="subscriptions"/> topics receives a flood on the last one added; subscribing is bounded by <paramref name="subscribeBudget"/>.</summary>
    public static SubscriptionResult Subscriptions(Library library, string transport, int subscriptions, int size, int count, TimeSpan subscribeBudget)
    {
        TimeSpan subscribeTime = TimeSpan.Zero;
        PubSubResult flow = Runs.PubSub(library, transport, size, count, subscriptions, sub =>
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < subscriptions; i++)
            {
                sub.Subscribe(Probe.Topic(i));
                if ((i & 1023) == 0 && Stopwatch.GetElapsedTime(start) > subscribeBudget)
                {
                    throw new BenchException($"subscribing took over {subscribeBudget.TotalSeconds:F0} s after {i:N0} topics");
                }
            }
            subscribeTime = Stopwatch.GetElapsedTime(start);
        });
        double? match = library is Library.SpNet or Library.SpNetAsync ? MatchNanoseconds(subscriptions, size) : null;
        return new SubscriptionResult(subscriptions, subscribeTime, flow, match);
    }

    /// <summary>SpNet's SubscriptionSet.Matches alone, in nanoseconds per call, on the message the flood carries.</summary>
    public static double MatchNanoseconds(int subscriptions, int size)
    {
        var set = new SubscriptionSet();
        for (int i = 0; i < subscriptions; i++)
        {
            set.Add(Probe.Topic(i));
        }
        byte[] body = new byte[size];
        Probe.TopicInto(body, subscriptions);
        const int calls = 1_000_000;
        int hits = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            hits += set.Matches(body) ? 1 : 0;
        }
        double ns = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1e6 / calls;
        return hits == calls ? ns : throw new BenchException("subscription set did not match its own topic");
    }
}
