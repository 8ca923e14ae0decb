using System.Diagnostics;
using System.Globalization;
using SpNet.Discovery;

namespace SpNet.Services.Bench;

/// <summary>
/// The child side (<c>spservices-bench members CASE SURVEY PUBLISH ARGS…</c>): starts one case's members against the
/// parent's registry, prints <c>ready</c> (with the raw PAIR1 receiver's address for "sink"), reports events on stdout, and stops when stdin closes. Arrival times are
/// <see cref="Stopwatch.GetTimestamp"/> values, which on Linux read CLOCK_MONOTONIC and so compare across processes.
/// </summary>
internal static class Members
{
    public static async Task RunAsync(string[] args)
    {
        string kind = args[0];
        var registry = new RegistryEndpoint(args[1], args[2]);
        var owned = new List<IAsyncDisposable>();
        string ready = "ready";
        try
        {
            switch (kind)
            {
                case "echo":
                    await EchoAsync(registry, Int(args[3]), owned);
                    break;
                case "cache":
                    await CacheAsync(registry, Int(args[3]), Int(args[4]), owned);
                    break;
                case "sink":
                    ready += " " + await SinkAsync(registry, args[3], Int(args[4]), Int(args[5]), owned);
                    break;
                case "subscribers":
                    await SubscribersAsync(registry, args[3], Int(args[4]), Int(args[5]), owned);
                    break;
                default:
                    throw new ArgumentException($"unknown member case '{kind}'");
            }
            Console.WriteLine(ready);
            await Console.In.ReadToEndAsync(); // until the parent closes our stdin
        }
        finally
        {
            for (int i = owned.Count - 1; i >= 0; i--)
            {
                await owned[i].DisposeAsync();
            }
        }
    }

    private static async Task<ServiceHost> HostAsync(RegistryEndpoint registry, string service, List<IAsyncDisposable> owned, int? window = null, int? maxWindow = null)
    {
        var options = new ServiceHostOptions { Service = service, Registries = [registry] };
        if (window is int w)
        {
            options.TunnelWindow = w;
        }
        if (maxWindow is int max)
        {
            options.TunnelMaxWindow = max;
        }
        ServiceHost host = await ServiceHost.StartAsync(options);
        owned.Add(host);
        return host;
    }

    private static async Task EchoAsync(RegistryEndpoint registry, int members, List<IAsyncDisposable> owned)
    {
        for (int i = 0; i < members; i++)
        {
            ServiceHost host = await HostAsync(registry, "echo", owned);
            host.OnRequest((request, _) => ValueTask.FromResult(Message.Create(request.Body)));
        }
    }

    /// <summary>Each broadcast's body is its index; when all members have it: <c>all INDEX TIMESTAMP</c>.</summary>
    private static async Task CacheAsync(RegistryEndpoint registry, int members, int broadcasts, List<IAsyncDisposable> owned)
    {
        var arrivals = new int[broadcasts];
        for (int i = 0; i < members; i++)
        {
            ServiceHost host = await HostAsync(registry, "cache", owned);
            host.OnBroadcast((message, _) =>
            {
                long now = Stopwatch.GetTimestamp();
                int index = BitConverter.ToInt32(message.Body);
                if (Interlocked.Increment(ref arrivals[index]) == members)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all {index} {now}"));
                }
                return ValueTask.CompletedTask;
            });
        }
    }

    /// <summary>
    /// A tunnel sink (counts what arrives; when the client completes, answers the count and the window its end had
    /// reached), a tunnel echo (service <c>SERVICE-echo</c>, for the round trip), and a raw PAIR1 receiver doing the
    /// same as the sink over plain tcp: the first message of a run is its length and, when 8 bytes, how often to
    /// acknowledge (the count so far, every that many messages; 0 never); the receiver answers the count after that
    /// many more. Returns the receiver's address.
    /// </summary>
    private static async Task<string> SinkAsync(RegistryEndpoint registry, string service, int window, int maxWindow, List<IAsyncDisposable> owned)
    {
        ServiceHost host = await HostAsync(registry, service, owned, window, maxWindow);
        host.OnTunnel(async (tunnel, ct) =>
        {
            int count = 0;
            while (await tunnel.ReceiveAsync(ct) is not null)
            {
                count++;
            }
            await tunnel.SendAsync((byte[])[.. BitConverter.GetBytes(count), .. BitConverter.GetBytes(tunnel.Window)], ct);
        });
        ServiceHost echo = await HostAsync(registry, service + "-echo", owned, window, maxWindow);
        echo.OnTunnel(async (tunnel, ct) =>
        {
            while (await tunnel.ReceiveAsync(ct) is { } body)
            {
                await tunnel.SendAsync(body, ct);
            }
        });
        var pair = new Pair1Socket();
        owned.Add(pair);
        string url = pair.Listen("tcp://127.0.0.1:0").Url;
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    int messages, ackEvery;
                    using (Message header = await pair.ReceiveAsync())
                    {
                        messages = BitConverter.ToInt32(header.Body);
                        ackEvery = header.Body.Length >= 8 ? BitConverter.ToInt32(header.Body[4..]) : 0;
                    }
                    for (int i = 0; i < messages; i++)
                    {
                        (await pair.ReceiveAsync()).Dispose();
                        if (ackEvery > 0 && (i + 1) % ackEvery == 0)
                        {
                            await pair.SendAsync(BitConverter.GetBytes(i + 1));
                        }
                    }
                    await pair.SendAsync(BitConverter.GetBytes(messages));
                }
            }
            catch (SpNetException)
            {
                // Closed at the end.
            }
        });
        return url;
    }

    /// <summary>
    /// <paramref name="subscribers"/> clients subscribed to <paramref name="topic"/>. Prints <c>reached N</c> each time
    /// every subscriber has at least N messages, N a multiple of <paramref name="step"/>, and <c>finished INDEX COUNT</c>
    /// when a subscriber gets the one-byte end marker.
    /// </summary>
    private static async Task SubscribersAsync(RegistryEndpoint registry, string topic, int subscribers, int step, List<IAsyncDisposable> owned)
    {
        var counts = new int[subscribers];
        int reached = 0;
        var gate = new Lock();
        for (int i = 0; i < subscribers; i++)
        {
            int index = i;
            var client = ServiceClient.Start(new ServiceClientOptions { Registries = [registry] });
            owned.Add(client);
            owned.Add(await client.SubscribeAsync(topic, (body, _) =>
            {
                if (body.Length == 1)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"finished {index} {Volatile.Read(ref counts[index])}"));
                    return ValueTask.CompletedTask;
                }
                if (Interlocked.Increment(ref counts[index]) % step == 0)
                {
                    lock (gate)
                    {
                        int least = counts.Min();
                        if (least >= reached + step)
                        {
                            reached = least - least % step;
                            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reached {reached}"));
                        }
                    }
                }
                return ValueTask.CompletedTask;
            }));
        }
    }

    private static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
