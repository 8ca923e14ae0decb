using System.Diagnostics;
using System.Globalization;
using SpNet.Discovery;

namespace SpNet.Services.Bench;

internal static class Cases
{
    public static async Task RequestAsync(Cluster cluster, int members, int concurrent, int rounds)
    {
        await using MemberProcess child = await MemberProcess.StartAsync(cluster.Args("echo", members));
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
        Print($"request: {members} members (one other process), {concurrent} concurrent x {rounds} rounds, 64 B: p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies[^1]:0.0} ms, {latencies.Length / total.Elapsed.TotalSeconds:0} requests/s");
    }

    public static async Task BroadcastAsync(Cluster cluster, int members, int broadcasts)
    {
        const int WarmUp = 10;
        await using MemberProcess child = await MemberProcess.StartAsync(cluster.Args("cache", members, WarmUp + broadcasts));
        ServiceClient client = cluster.Client();
        await Cluster.WaitForMembersAsync(client, "cache", members);
        var times = new double[broadcasts];
        for (int b = 0; b < WarmUp + broadcasts; b++)
        {
            long start = Stopwatch.GetTimestamp();
            await client.BroadcastAsync("cache", BitConverter.GetBytes(b));
            string[] all = await child.WaitForAsync("all", TimeSpan.FromSeconds(10));
            if (int.Parse(all[1], CultureInfo.InvariantCulture) != b)
            {
                throw new InvalidOperationException($"broadcast {all[1]} completed while waiting for {b}");
            }
            if (b >= WarmUp)
            {
                times[b - WarmUp] = Stopwatch.GetElapsedTime(start, long.Parse(all[2], CultureInfo.InvariantCulture)).TotalMilliseconds;
            }
        }
        Array.Sort(times);
        Print($"broadcast: {members} members (one other process), {broadcasts} broadcasts one at a time: time until all have it p50 {Percentile(times, 0.50):0.00} ms, p99 {Percentile(times, 0.99):0.00} ms, max {times[^1]:0.00} ms");
    }

    /// <summary>
    /// The tunnel to a sink in the other process (its window starting at <paramref name="window"/> and growing up to
    /// <paramref name="maxWindow"/>; equal: fixed), raw PAIR1 to the same process, and raw PAIR1 held to the largest
    /// window the tunnel may use, alternating.
    /// </summary>
    public static async Task TunnelAsync(Cluster cluster, int messages, int size, int window, int maxWindow, int runs, int roundTrips = 0)
    {
        string service = $"sink{window}-{maxWindow}";
        string windows = maxWindow > window ? $"window {window} growing up to {maxWindow}" : $"window {window} fixed";
        await using MemberProcess child = await MemberProcess.StartAsync(cluster.Args("sink", service, window, maxWindow));
        string pairUrl = child.Ready[1];
        ServiceClient client = cluster.Client();
        await Cluster.WaitForMembersAsync(client, service, 1);
        await Cluster.WaitForMembersAsync(client, service + "-echo", 1);
        await using var pair = new Pair1Socket();
        await pair.DialAsync(pairUrl);
        byte[] body = new byte[size];
        await RunTunnelAsync(client, service, body, messages / 10); // warm-up
        await RawPairAsync(pair, body, messages / 10);
        await WindowedPairAsync(pair, body, messages / 10, maxWindow);
        // Alternating runs: all three see the same machine load, and the ratios of each run are reported.
        for (int run = 0; run < runs; run++)
        {
            (double tunnelRate, int reached) = await RunTunnelAsync(client, service, body, messages);
            double pairRate = await RawPairAsync(pair, body, messages);
            double windowed = await WindowedPairAsync(pair, body, messages, maxWindow);
            Print($"tunnel ({windows}, reached {reached}; member in another process): {messages} x {size} B one way: {tunnelRate:0} msg/s ({tunnelRate * size / 1048576:0.0} MiB/s); raw PAIR1 over tcp to the same process, next: {pairRate:0} msg/s; raw PAIR1 held to {maxWindow}, next: {windowed:0} msg/s; tunnel/raw {100 * tunnelRate / pairRate:0} %, windowed raw/raw {100 * windowed / pairRate:0} %, tunnel/windowed raw {100 * tunnelRate / windowed:0} %");
        }
        if (roundTrips > 0)
        {
            await TunnelRoundTripAsync(client, service + "-echo", body, window, roundTrips);
        }
    }

    /// <summary>
    /// One message there and back at a time through a tunnel to an echo in the other process: the round trip a credit
    /// grant also makes (data to the member, credit back), so <c>window / round trip</c> bounds what a tunnel can carry.
    /// </summary>
    private static async Task TunnelRoundTripAsync(ServiceClient client, string service, byte[] body, int window, int roundTrips)
    {
        await using Tunnel tunnel = await client.OpenTunnelAsync(service);
        var times = new double[roundTrips];
        for (int i = -roundTrips / 10; i < roundTrips; i++) // the first tenth warms up, unmeasured
        {
            long start = Stopwatch.GetTimestamp();
            await tunnel.SendAsync(body);
            _ = await tunnel.ReceiveAsync() ?? throw new InvalidOperationException("the echo completed early");
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }
        Array.Sort(times);
        double p50 = Percentile(times, 0.50);
        Print($"tunnel round trip ({body.Length} B there and back, one at a time, {roundTrips} times): p50 {p50:0} us, p99 {Percentile(times, 0.99):0} us; a window of {window} over the p50 round trip: at most {window / p50 * 1e6:0} msg/s");
    }

    public static async Task TopicsAsync(Cluster cluster, int subscribers, int messages, int size)
    {
        await using MemberProcess child = await MemberProcess.StartAsync(cluster.Args("subscribers", "ticks", subscribers, messages));
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
        TimeSpan published = elapsed.Elapsed;
        // The one-byte end marker, again every 100 ms: PUB may drop it too for a subscriber that is behind.
        var finished = new Dictionary<int, long>();
        long giveUp = Environment.TickCount64 + 30_000;
        while (finished.Count < subscribers && Environment.TickCount64 < giveUp)
        {
            await publisher.PublishAsync("ticks", new byte[1]);
            try
            {
                while (finished.Count < subscribers)
                {
                    string[] line = await child.WaitForAsync("finished", TimeSpan.FromMilliseconds(100));
                    finished.TryAdd(int.Parse(line[1], CultureInfo.InvariantCulture), long.Parse(line[2], CultureInfo.InvariantCulture));
                }
            }
            catch (TimeoutException)
            {
                // Markers lost: send another.
            }
        }
        long delivered = finished.Values.Sum();
        elapsed.Stop();
        Print($"topics flooded: 1 publisher, {subscribers} subscribers (one other process), {messages} x {size} B: published in {published.TotalMilliseconds:0} ms, all ends in {elapsed.Elapsed.TotalMilliseconds:0} ms, delivered {100.0 * delivered / ((long)messages * subscribers):0.00} % ({delivered / elapsed.Elapsed.TotalSeconds:0} deliveries/s){(finished.Count == subscribers ? "" : $", {subscribers - finished.Count} subscribers never got an end marker")}");
    }

    /// <summary>Publishes in bursts and waits for every subscriber to have each burst: fan-out rate without PUB's drops.</summary>
    public static async Task PacedTopicsAsync(Cluster cluster, int subscribers, int messages, int size, int burst)
    {
        await using MemberProcess child = await MemberProcess.StartAsync(cluster.Args("subscribers", "paced", subscribers, burst));
        ServiceClient publisher = cluster.Client();
        if (!await publisher.WaitForTopicSubscribersAsync(subscribers, TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("subscribers did not connect");
        }
        byte[] body = new byte[size];
        var elapsed = Stopwatch.StartNew();
        int reached = 0;
        for (int sent = 0; sent < messages;)
        {
            for (int i = 0; i < burst; i++, sent++)
            {
                await publisher.PublishAsync("paced", body);
            }
            while (reached < sent)
            {
                reached = int.Parse((await child.WaitForAsync("reached", TimeSpan.FromSeconds(10)))[1], CultureInfo.InvariantCulture);
            }
        }
        elapsed.Stop();
        Print($"topics paced (bursts of {burst}, each awaited at all): 1 publisher, {subscribers} subscribers (one other process), {messages} x {size} B in {elapsed.Elapsed.TotalMilliseconds:0} ms: {messages / elapsed.Elapsed.TotalSeconds:0} msg/s to every subscriber ({(long)messages * subscribers / elapsed.Elapsed.TotalSeconds:0} deliveries/s), all delivered");
    }

    /// <summary>Sends <paramref name="messages"/> through a new tunnel; the rate, and the window the sink's end had reached.</summary>
    private static async Task<(double Rate, int Window)> RunTunnelAsync(ServiceClient client, string service, byte[] body, int messages)
    {
        await using Tunnel tunnel = await client.OpenTunnelAsync(service);
        var elapsed = Stopwatch.StartNew();
        for (int i = 0; i < messages; i++)
        {
            await tunnel.SendAsync(body);
        }
        await tunnel.CompleteAsync();
        byte[] answer = (await tunnel.ReceiveAsync())!;
        elapsed.Stop();
        if (BitConverter.ToInt32(answer) != messages)
        {
            throw new InvalidOperationException($"the host counted {BitConverter.ToInt32(answer)} of {messages}");
        }
        return (messages / elapsed.Elapsed.TotalSeconds, BitConverter.ToInt32(answer.AsSpan(4)));
    }

    /// <summary>Sends the run's length (4 bytes: no acknowledgements), then the messages; timed until the receiver's answer.</summary>
    private static async Task<double> RawPairAsync(Pair1Socket sender, byte[] body, int messages)
    {
        var elapsed = Stopwatch.StartNew();
        await sender.SendAsync(BitConverter.GetBytes(messages));
        for (int i = 0; i < messages; i++)
        {
            await sender.SendAsync(body);
        }
        using Message answer = await sender.ReceiveAsync();
        elapsed.Stop();
        if (BitConverter.ToInt32(answer.Body) != messages)
        {
            throw new InvalidOperationException($"the receiver counted {BitConverter.ToInt32(answer.Body)} of {messages}");
        }
        return messages / elapsed.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Raw PAIR1 held to a tunnel's window by the application, as a tunnel holds it: at most <paramref name="window"/>
    /// messages unacknowledged, the receiver acknowledging every half window. What this costs against
    /// <see cref="RawPairAsync"/> is the window's cost on its own, whatever implements it.
    /// </summary>
    private static async Task<double> WindowedPairAsync(Pair1Socket sender, byte[] body, int messages, int window)
    {
        int ackEvery = window / 2;
        var elapsed = Stopwatch.StartNew();
        byte[] header = new byte[8];
        BitConverter.TryWriteBytes(header, messages);
        BitConverter.TryWriteBytes(header.AsSpan(4), ackEvery);
        await sender.SendAsync(header);
        int acked = 0;
        for (int i = 0; i < messages; i++)
        {
            while (i - acked >= window)
            {
                using Message ack = await sender.ReceiveAsync();
                acked = BitConverter.ToInt32(ack.Body);
            }
            await sender.SendAsync(body);
        }
        // The last ack and the final answer both carry the count when the run is a whole number of acks.
        for (int seen = 0, expected = messages % ackEvery == 0 ? 2 : 1; seen < expected;)
        {
            using Message answer = await sender.ReceiveAsync();
            if (BitConverter.ToInt32(answer.Body) == messages)
            {
                seen++;
            }
        }
        elapsed.Stop();
        return messages / elapsed.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
