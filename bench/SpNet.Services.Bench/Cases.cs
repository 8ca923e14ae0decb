using System.Diagnostics;
using System.Globalization;
using SpNet.Discovery;

namespace SpNet.Services.Bench;

internal static class Cases
{
    public static async Task RequestAsync(Cluster cluster, int members, int concurrent, int rounds)
    {
        for (int i = 0; i < members; i++)
        {
            ServiceHost host = await cluster.HostAsync("echo");
            host.OnRequest((request, _) => ValueTask.FromResult(Message.Create(request.Body)));
        }
        ServiceClient client = cluster.Client();
        await Cluster.WaitForMembersAsync(client, "echo", members);
        byte[] body = new byte[64];
        for (int i = 0; i < 2_000; i++)
        {
            await client.RequestAsync("echo", body); // warm-up: connections, JIT
        }
        var latencies = new double[concurrent * rounds];
        var total = Stopwatch.StartNew();
        for (int round = 0; round < rounds; round++)
        {
            int offset = round * concurrent;
            await Task.WhenAll(Enumerable.Range(0, concurrent).Select(async i =>
            {
                long start = Stopwatch.GetTimestamp();
                await client.RequestAsync("echo", body);
                latencies[offset + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }));
        }
        total.Stop();
        Array.Sort(latencies);
        Print($"request: {members} members, {concurrent} concurrent x {rounds} rounds, 64 B: p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms, {latencies.Length / total.Elapsed.TotalSeconds:0} requests/s");
    }

    public static async Task BroadcastAsync(Cluster cluster, int members, int broadcasts)
    {
        int received = 0;
        long lastArrival = 0;
        TaskCompletionSource all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        for (int i = 0; i < members; i++)
        {
            ServiceHost host = await cluster.HostAsync("cache");
            host.OnBroadcast((_, _) =>
            {
                Volatile.Write(ref lastArrival, Stopwatch.GetTimestamp());
                if (Interlocked.Increment(ref received) == members)
                {
                    all.TrySetResult();
                }
                return ValueTask.CompletedTask;
            });
        }
        ServiceClient client = cluster.Client();
        await Cluster.WaitForMembersAsync(client, "cache", members);
        var times = new double[broadcasts];
        for (int b = -10; b < broadcasts; b++) // 10 warm-up rounds
        {
            Volatile.Write(ref received, 0);
            all = new(TaskCreationOptions.RunContinuationsAsynchronously);
            long start = Stopwatch.GetTimestamp();
            await client.BroadcastAsync("cache", "flush"u8.ToArray());
            await all.Task.WaitAsync(TimeSpan.FromSeconds(10));
            if (b >= 0)
            {
                times[b] = Stopwatch.GetElapsedTime(start, Volatile.Read(ref lastArrival)).TotalMilliseconds;
            }
        }
        Array.Sort(times);
        Print($"broadcast: {members} members, {broadcasts} broadcasts one at a time: time until all have it p50 {Percentile(times, 0.50):0.00} ms, p99 {Percentile(times, 0.99):0.00} ms, max {times[^1]:0.00} ms");
    }

    public static async Task TunnelAsync(Cluster cluster, int messages, int size, int window)
    {
        string service = $"sink{window}";
        ServiceHost host = await cluster.HostAsync(service, o => o.TunnelWindow = window);
        host.OnTunnel(async (tunnel, ct) =>
        {
            int count = 0;
            while (await tunnel.ReceiveAsync(ct) is not null)
            {
                count++;
            }
            await tunnel.SendAsync(BitConverter.GetBytes(count), ct);
        });
        ServiceClient client = cluster.Client();
        await Cluster.WaitForMembersAsync(client, service, 1);
        byte[] body = new byte[size];
        await RunTunnelAsync(client, service, body, 20_000); // warm-up
        double tunnelRate = await RunTunnelAsync(client, service, body, messages);

        double pairRate = await RawPairAsync(body, messages / 10); // warm-up
        pairRate = await RawPairAsync(body, messages);
        Print($"tunnel (window {window}): {messages} x {size} B one way: {tunnelRate:0} msg/s ({tunnelRate * size / 1048576:0.0} MiB/s); raw PAIR1 over tcp, same run: {pairRate:0} msg/s; tunnel/raw {100 * tunnelRate / pairRate:0} %");
    }

    public static async Task TopicsAsync(Cluster cluster, int subscribers, int messages, int size)
    {
        var counts = new int[subscribers];
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int finished = 0;
        for (int i = 0; i < subscribers; i++)
        {
            int index = i;
            ServiceClient subscriber = cluster.Client();
            await subscriber.SubscribeAsync("ticks", (body, _) =>
            {
                if (++counts[index] == messages || body.Length == 1)
                {
                    if (Interlocked.Increment(ref finished) == subscribers)
                    {
                        done.TrySetResult();
                    }
                }
                return ValueTask.CompletedTask;
            });
        }
        ServiceClient publisher = cluster.Client();
        if (!await publisher.WaitForTopicSubscribersAsync(subscribers, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("subscribers did not connect");
        }
        byte[] body = new byte[size];
        var elapsed = Stopwatch.StartNew();
        for (int i = 0; i < messages; i++)
        {
            await publisher.PublishAsync("ticks", body);
        }
        await publisher.PublishAsync("ticks", new byte[1]); // end marker for subscribers that lost messages
        bool complete = await done.Task.WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(t => t.IsCompletedSuccessfully);
        elapsed.Stop();
        long delivered = counts.Sum(c => (long)Math.Min(c, messages));
        Print($"topics: 1 publisher, {subscribers} subscribers, {messages} x {size} B: all delivered in {elapsed.Elapsed.TotalMilliseconds:0} ms ({delivered / elapsed.Elapsed.TotalSeconds:0} deliveries/s), delivered {100.0 * delivered / ((long)messages * subscribers):0.00} %{(complete ? "" : " (timed out)")}");
    }

    /// <summary>Publishes in bursts and waits for every subscriber to have each burst: fan-out rate without PUB's drops.</summary>
    public static async Task PacedTopicsAsync(Cluster cluster, int subscribers, int messages, int size, int burst)
    {
        var counts = new int[subscribers];
        for (int i = 0; i < subscribers; i++)
        {
            int index = i;
            ServiceClient subscriber = cluster.Client();
            await subscriber.SubscribeAsync("paced", (_, _) =>
            {
                Interlocked.Increment(ref counts[index]);
                return ValueTask.CompletedTask;
            });
        }
        ServiceClient publisher = cluster.Client();
        if (!await publisher.WaitForTopicSubscribersAsync(subscribers, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("subscribers did not connect");
        }
        byte[] body = new byte[size];
        var elapsed = Stopwatch.StartNew();
        for (int sent = 0; sent < messages;)
        {
            for (int i = 0; i < burst; i++, sent++)
            {
                await publisher.PublishAsync("paced", body);
            }
            long deadline = Environment.TickCount64 + 10_000;
            while (Enumerable.Range(0, subscribers).Any(i => Volatile.Read(ref counts[i]) < sent) && Environment.TickCount64 < deadline)
            {
                await Task.Yield();
            }
        }
        elapsed.Stop();
        long delivered = counts.Sum(c => (long)c);
        Print($"topics paced (bursts of {burst}, each awaited at all): 1 publisher, {subscribers} subscribers, {messages} x {size} B in {elapsed.Elapsed.TotalMilliseconds:0} ms: {messages / elapsed.Elapsed.TotalSeconds:0} msg/s to every subscriber ({delivered / elapsed.Elapsed.TotalSeconds:0} deliveries/s), delivered {100.0 * delivered / ((long)messages * subscribers):0.00} %");
    }

    private static async Task<double> RunTunnelAsync(ServiceClient client, string service, byte[] body, int messages)
    {
        await using Tunnel tunnel = await client.OpenTunnelAsync(service);
        var elapsed = Stopwatch.StartNew();
        for (int i = 0; i < messages; i++)
        {
            await tunnel.SendAsync(body);
        }
        await tunnel.CompleteAsync();
        byte[] count = (await tunnel.ReceiveAsync())!;
        elapsed.Stop();
        if (BitConverter.ToInt32(count) != messages)
        {
            throw new InvalidOperationException($"the host counted {BitConverter.ToInt32(count)} of {messages}");
        }
        return messages / elapsed.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawPairAsync(byte[] body, int messages)
    {
        await using var receiver = new Pair1Socket();
        await using var sender = new Pair1Socket();
        string url = receiver.Listen("tcp://127.0.0.1:0").Url;
        await sender.DialAsync(url);
        var elapsed = Stopwatch.StartNew();
        Task receiving = Task.Run(async () =>
        {
            for (int i = 0; i < messages; i++)
            {
                (await receiver.ReceiveAsync()).Dispose();
            }
        });
        for (int i = 0; i < messages; i++)
        {
            await sender.SendAsync(body);
        }
        await receiving;
        elapsed.Stop();
        return messages / elapsed.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
