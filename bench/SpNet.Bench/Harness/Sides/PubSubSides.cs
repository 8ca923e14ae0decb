using System.Diagnostics;
using SpNet.Protocols.Routing;

namespace SpNet.Bench.Harness.Sides;

/// <summary>What a PUB/SUB case does.</summary>
/// <param name="Count">Messages the publisher sends (after the probes).</param>
/// <param name="QueueDepth">Send queue of the PUB and receive queue of each SUB, in messages (NNG's SENDBUF/RECVBUF).</param>
/// <param name="Rate">Messages per second the publisher aims for; 0 floods.</param>
/// <param name="Subscriptions">Topics each SUB holds (0: subscribed to everything); messages carry the last one.</param>
/// <param name="SubscriberSides">How many subscriber sides (processes) take part.</param>
/// <param name="SocketsPerSide">SUB sockets in each subscriber side, each with its own connection.</param>
internal sealed record PubSubPlan(Library Library, int Size, int Count, int QueueDepth, int Rate, int Subscriptions, int SubscriberSides, int SocketsPerSide);

/// <summary>
/// One PUB side and one or more SUB sides, each warmed up first (<see cref="PubSubWarmUp"/>). The publisher sends 9-byte probes until every subscriber side says each of
/// its sockets has seen one (so no run starts before its pipes and subscriptions are up), then floods or paces the
/// messages; PUB never blocks, so a full queue drops. Subscribers count messages of the run's size until 1 s of
/// silence after the publisher has said it is done.
/// </summary>
internal static class PubSubSides
{
    private const int SilenceMs = 1000;

    /// <summary>Longest a SUB may take to subscribe (NNG 1.5.2 checks each new topic against its whole list: 100,000 take minutes; the others need under a second).</summary>
    public static readonly TimeSpan SubscribeBudget = TimeSpan.FromSeconds(10);

    /// <summary>Reports <c>sent</c>, <c>start</c> (timestamp of the first message), <c>senderRate</c>, <c>bytes</c>, <c>gen0</c>.</summary>
    public static Task Publish(SideLink link, PubSubPlan plan, string url)
    {
        PubSubWarmUp.Run(plan.Library, plan.Size);
        using BenchSocket pub = BenchSocket.Open(plan.Library, SocketKind.Pub);
        pub.SetQueueDepth(plan.QueueDepth);
        link.Ready(pub.Listen(url));
        byte[] probe = Probe.Create(plan.Subscriptions);
        while (link.Count("subscribed") < plan.SubscriberSides)
        {
            pub.Send(probe);
            Thread.Sleep(2);
        }
        byte[] body = new byte[plan.Size];
        Probe.TopicInto(body, plan.Subscriptions);
        var mark = AllocationSample.Mark();
        long start = Stopwatch.GetTimestamp();
        if (plan.Rate <= 0)
        {
            for (int i = 0; i < plan.Count; i++)
            {
                pub.Send(body);
            }
        }
        else
        {
            // Message i is due at start + i / rate; spin between sends rather than sleep (timer resolution is ~1 ms,
            // far coarser than the gaps).
            double ticksPerMessage = (double)Stopwatch.Frequency / plan.Rate;
            for (int i = 0; i < plan.Count; i++)
            {
                long due = start + (long)(i * ticksPerMessage);
                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.SpinWait(20);
                }
                pub.Send(body);
            }
        }
        double senderRate = plan.Count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        AllocationSample allocation = AllocationSample.Since(mark, plan.Count);
        link.Report("sent", plan.Count);
        link.Report("start", start);
        link.Report("senderRate", senderRate);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
        link.Signal("sent");
        link.WaitFor("received", plan.SubscriberSides); // keep the PUB open until every subscriber is done
        return Task.CompletedTask;
    }

    /// <summary>
    /// <see cref="PubSubPlan.SocketsPerSide"/> SUB sockets; reports <c>received</c> (all sockets), <c>first</c> and
    /// <c>last</c> (timestamps), <c>subscribeMs</c>, <c>bytes</c>, <c>gen0</c> and, for SpNet, <c>matchNs</c>.
    /// </summary>
    public static Task Subscribe(SideLink link, PubSubPlan plan, string url)
    {
        PubSubWarmUp.Run(plan.Library, plan.Size);
        var subs = new List<BenchSocket>();
        try
        {
            long subscribeTicks = 0;
            for (int i = 0; i < plan.SocketsPerSide; i++)
            {
                BenchSocket sub = BenchSocket.Open(plan.Library, SocketKind.Sub);
                subs.Add(sub);
                sub.SetQueueDepth(plan.QueueDepth);
                long started = Stopwatch.GetTimestamp();
                if (plan.Subscriptions == 0)
                {
                    sub.Subscribe([]);
                }
                for (int t = 0; t < plan.Subscriptions; t++)
                {
                    sub.Subscribe(Probe.Topic(t));
                    if ((t & 1023) == 1023 && Stopwatch.GetElapsedTime(started) > SubscribeBudget)
                    {
                        throw new BenchException($"subscribing took over {SubscribeBudget.TotalSeconds:F0} s after {t + 1:N0} topics");
                    }
                }
                subscribeTicks += Stopwatch.GetTimestamp() - started;
                sub.Dial(url);
            }
            WaitForProbes(subs);
            link.Signal("subscribed");

            var mark = AllocationSample.Mark();
            long[] received = new long[subs.Count];
            long[] first = new long[subs.Count];
            long[] last = new long[subs.Count];
            var loops = new Task[subs.Count];
            for (int i = 0; i < subs.Count; i++)
            {
                int index = i;
                BenchSocket sub = subs[i];
                sub.SetReceiveTimeout(SilenceMs);
                loops[i] = Workers.Start(plan.Library, $"sub{index}", async () =>
                {
                    byte[] buffer = new byte[Math.Max(plan.Size, 16)];
                    while (received[index] < plan.Count)
                    {
                        try
                        {
                            if (await sub.ReceiveAsync(buffer) != plan.Size)
                            {
                                continue; // a late probe
                            }
                        }
                        catch (BenchTimeoutException)
                        {
                            if (link.Has("sent"))
                            {
                                break;
                            }
                            continue;
                        }
                        last[index] = Stopwatch.GetTimestamp();
                        if (received[index]++ == 0)
                        {
                            first[index] = last[index];
                        }
                    }
                });
            }
            Workers.Join(SideLink.SignalLimit, "subscribers", loops);
            AllocationSample allocation = AllocationSample.Since(mark, received.Sum());
            link.Report("received", received.Sum());
            link.Report("first", first.Where(t => t != 0).DefaultIfEmpty(0).Min());
            link.Report("last", last.Max());
            link.Report("subscribeMs", Stopwatch.GetElapsedTime(0, subscribeTicks).TotalMilliseconds);
            link.Report("bytes", allocation.Bytes);
            link.Report("gen0", allocation.Gen0);
            if (Patterns.IsSpNet(plan.Library) && plan.Subscriptions > 0)
            {
                link.Report("matchNs", MatchNanoseconds(plan.Subscriptions, plan.Size));
            }
            link.Signal("received");
            return Task.CompletedTask;
        }
        finally
        {
            foreach (BenchSocket sub in subs)
            {
                sub.Dispose();
            }
        }
    }

    /// <summary>Until every socket has received a probe (bounded by <see cref="SideLink.SignalLimit"/>).</summary>
    private static void WaitForProbes(List<BenchSocket> subs)
    {
        byte[] buffer = new byte[64];
        var pending = new List<BenchSocket>(subs);
        long deadline = Environment.TickCount64 + (long)SideLink.SignalLimit.TotalMilliseconds;
        foreach (BenchSocket sub in subs)
        {
            sub.SetReceiveTimeout(5);
        }
        while (pending.Count > 0)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new BenchException($"{pending.Count} subscriber(s) saw no probe within {SideLink.SignalLimit.TotalSeconds:F0} s");
            }
            for (int i = pending.Count - 1; i >= 0; i--)
            {
                try
                {
                    if (pending[i].Receive(buffer) == Probe.TopicLength)
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
    }

    /// <summary>SpNet's SubscriptionSet.Matches alone, in nanoseconds per call, on the message the flood carries.</summary>
    private static double MatchNanoseconds(int subscriptions, int size)
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
