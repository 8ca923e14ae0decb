// An Iris-style tour: services addressed by name, never by host. Three services join one registry:
// "echo" (two members, requests), "cache" (three members, broadcast and gather) and "chat" (a tunnel), and every
// node can publish and subscribe to topics.
// Run: dotnet run --project samples/Services.Tour
using System.Text;
using SpNet;
using SpNet.Discovery;

await using var registry = new Registry(new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0", Interval = TimeSpan.FromMilliseconds(250) });
await registry.StartAsync();
RegistryEndpoint[] registries = [new(registry.SurveyUrl, registry.PublishUrl)];
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var hosts = new List<ServiceHost>();

for (int i = 0; i < 2; i++)
{
    string name = $"echo{i}";
    ServiceHost echo = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "echo", Registries = registries });
    echo.OnRequest((request, _) => ValueTask.FromResult(Message.Create($"{name} says {request}")));
    hosts.Add(echo);
}
int flushed = 0;
for (int i = 0; i < 3; i++)
{
    string name = $"cache{i}";
    ServiceHost cache = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "cache", Registries = registries });
    cache.OnBroadcast((message, _) =>
    {
        Interlocked.Increment(ref flushed);
        return ValueTask.CompletedTask;
    });
    cache.OnRequest((request, _) => ValueTask.FromResult(Message.Create($"{name}: 0 entries")));
    hosts.Add(cache);
}
ServiceHost chat = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "chat", Registries = registries });
chat.OnTunnel(async (tunnel, ct) =>
{
    while (await tunnel.ReceiveAsync(ct) is { } line)
    {
        await tunnel.SendAsync(Encoding.UTF8.GetBytes($"> {Encoding.UTF8.GetString(line)}"), ct);
    }
});
hosts.Add(chat);

// A first broadcast or gather waits for the members to be connected; 10 s rather than the default 2 s, so the tour
// also holds on a heavily loaded machine.
await using var client = ServiceClient.Start(new ServiceClientOptions { Registries = registries, ConnectTimeout = TimeSpan.FromSeconds(10) });
await client.Discovery.WaitForAsync(s => s.MembersOf("echo").Count == 2 && s.MembersOf("cache").Count == 3 && s.MembersOf("chat").Count == 1, timeout.Token);

// Request: load-balanced over the two echo members. Their connections come up independently, and requests go to
// whichever is connected, so ask until both have answered.
var answered = new HashSet<string>(StringComparer.Ordinal);
for (int i = 0; answered.Count < 2; i++)
{
    string reply = Encoding.UTF8.GetString(await client.RequestAsync("echo", Encoding.UTF8.GetBytes($"hello {i}"), timeout.Token));
    answered.Add(reply.Split(' ')[0]);
    Console.WriteLine("request: " + reply);
}

// Broadcast: every cache member, no reply. Gather: every member's answer within a deadline.
await client.BroadcastAsync("cache", "flush"u8.ToArray(), timeout.Token);
while (Volatile.Read(ref flushed) < 3)
{
    await Task.Delay(10, timeout.Token);
}
Console.WriteLine($"broadcast: {flushed} cache members flushed");
foreach (GatherReply reply in (await client.GatherAsync("cache", "size?"u8.ToArray(), TimeSpan.FromSeconds(10), timeout.Token)).OrderBy(r => Encoding.UTF8.GetString(r.Reply!), StringComparer.Ordinal))
{
    Console.WriteLine("gather: " + Encoding.UTF8.GetString(reply.Reply!));
}

// Tunnel: an ordered, flow-controlled stream to one chat member.
await using (Tunnel tunnel = await client.OpenTunnelAsync("chat", timeout.Token))
{
    foreach (string line in new[] { "hi", "how are you", "bye" })
    {
        await tunnel.SendAsync(Encoding.UTF8.GetBytes(line), timeout.Token);
        Console.WriteLine("tunnel: " + Encoding.UTF8.GetString((await tunnel.ReceiveAsync(timeout.Token))!));
    }
}

// Topics: any node publishes, every subscriber of the topic gets it.
await using var listener = ServiceClient.Start(new ServiceClientOptions { Registries = registries });
int heard = 0;
await using (await listener.SubscribeAsync("news", (body, _) =>
{
    Console.WriteLine("topic: " + Encoding.UTF8.GetString(body));
    Interlocked.Increment(ref heard);
    return ValueTask.CompletedTask;
}, timeout.Token))
{
    if (!await client.WaitForTopicSubscribersAsync(1, TimeSpan.FromSeconds(10), timeout.Token))
    {
        throw new TimeoutException("no subscriber connected");
    }
    await client.PublishAsync("news", "the tour is over"u8.ToArray(), timeout.Token);
    while (Volatile.Read(ref heard) < 1)
    {
        await Task.Delay(10, timeout.Token);
    }
}
foreach (ServiceHost host in hosts)
{
    await host.DisposeAsync();
}
Console.WriteLine("tour done");
