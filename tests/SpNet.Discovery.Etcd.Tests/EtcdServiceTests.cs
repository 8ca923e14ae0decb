using System.Collections.Concurrent;
using System.Text;
using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>The service layer unchanged over etcd: request, broadcast, gather, tunnel and topics, hosts and clients given only an <see cref="EtcdBackend"/>.</summary>
public sealed class EtcdServiceTests
{
    [PeerFact(Peers.Etcd)]
    public async Task Request_broadcast_gather_tunnel_and_topics_work_over_etcd()
    {
        await using EtcdCluster cluster = await EtcdCluster.StartAsync(1);
        await using var owned = new Owned();
        EtcdBackend backend = owned.Add(new EtcdBackend(Timing.Options(cluster)));
        var broadcasts = new ConcurrentQueue<string>();
        for (int i = 0; i < 2; i++)
        {
            string name = $"host{i}";
            ServiceHost host = owned.Add(await ServiceHost.StartAsync(new ServiceHostOptions { Service = "echo", Backend = backend }));
            host.OnRequest((request, _) => ValueTask.FromResult(Message.Create(Encoding.UTF8.GetBytes($"{name}:{request}"))));
            host.OnBroadcast((message, _) =>
            {
                broadcasts.Enqueue($"{name}:{message}");
                return ValueTask.CompletedTask;
            });
            host.OnTunnel(async (tunnel, ct) =>
            {
                while (await tunnel.ReceiveAsync(ct) is { } message)
                {
                    await tunnel.SendAsync(message, ct);
                }
            });
        }
        ServiceClient client = owned.Add(ServiceClient.Start(new ServiceClientOptions { Backend = backend, RequestTimeout = Timing.Hang }));
        await client.Discovery.WaitForAsync(s => s.MembersOf("echo").Count == 2, Timing.Within(Timing.Hang));

        Assert.EndsWith(":ping", Encoding.UTF8.GetString(await client.RequestAsync("echo", "ping"u8.ToArray())), StringComparison.Ordinal);
        await client.BroadcastAsync("echo", "all"u8.ToArray());
        await Eventually.True(() => broadcasts.Contains("host0:all") && broadcasts.Contains("host1:all"), "both hosts get the broadcast", Timing.Hang);
        IReadOnlyList<GatherReply> replies = await client.GatherAsync("echo", "g"u8.ToArray(), TimeSpan.FromSeconds(5));
        Assert.Equal(["host0:g", "host1:g"], replies.Select(r => Encoding.UTF8.GetString(r.Reply!)).Order());

        await using (Tunnel tunnel = await client.OpenTunnelAsync("echo"))
        {
            await tunnel.SendAsync("one"u8.ToArray());
            await tunnel.SendAsync("two"u8.ToArray());
            await tunnel.CompleteAsync();
            var back = new List<string>();
            while (await tunnel.ReceiveAsync() is { } message)
            {
                back.Add(Encoding.UTF8.GetString(message));
            }
            Assert.Equal(["one", "two"], back);
        }

        // Topics: the publisher lists itself through the same backend, subscribers find it there.
        ServiceClient subscriber = owned.Add(ServiceClient.Start(new ServiceClientOptions { Backend = backend, RequestTimeout = Timing.Hang }));
        var news = new ConcurrentQueue<string>();
        IAsyncDisposable subscription = owned.Add(await subscriber.SubscribeAsync("news", (body, _) =>
        {
            news.Enqueue(Encoding.UTF8.GetString(body));
            return ValueTask.CompletedTask;
        }));
        Assert.True(await client.WaitForTopicSubscribersAsync(1, Timing.Hang), "the subscriber connects to the publisher it found in etcd");
        await client.PublishAsync("news", "flash"u8.ToArray());
        await Eventually.True(() => news.Contains("flash"), "the subscriber gets the message", Timing.Hang);
    }
}
