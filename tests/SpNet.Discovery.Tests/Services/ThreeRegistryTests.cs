using System.Text;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

/// <summary>Hosts and clients given three registries, one of which dies while requests run.</summary>
public sealed class ThreeRegistryTests
{
    private const int Hosts = 3;
    private const int Clients = 2;
    private const int RequestsBeforeKill = 100;

    [Fact]
    public async Task Killing_one_of_three_registries_mid_run_loses_no_member_and_fails_no_request()
    {
        var registries = new Registry[3];
        await using var cleanup = new Owned();
        for (int i = 0; i < registries.Length; i++)
        {
            registries[i] = cleanup.Add(new Registry(Timing.Options()));
            await registries[i].StartAsync();
        }
        RegistryEndpoint[] endpoints = [.. registries.Select(r => new RegistryEndpoint(r.SurveyUrl, r.PublishUrl))];
        for (int i = 0; i < Hosts; i++)
        {
            string name = $"host{i}";
            ServiceHost host = cleanup.Add(await ServiceHost.StartAsync(new ServiceHostOptions { Service = "kv", Registries = endpoints }));
            host.OnRequest((request, _) => ValueTask.FromResult(Message.Create(Encoding.UTF8.GetBytes($"{name}:{request}"))));
        }
        var clients = new ServiceClient[Clients];
        for (int i = 0; i < Clients; i++)
        {
            clients[i] = cleanup.Add(ServiceClient.Start(new ServiceClientOptions { Registries = endpoints, RequestTimeout = Timing.Hang }));
        }
        foreach (ServiceClient client in clients)
        {
            await client.Discovery.WaitForAsync(s => s.MembersOf("kv").Count == Hosts, Timing.Within(Timing.Hang));
            await Eventually.True(() => client.Discovery.Sources.Count == registries.Length, "the client follows all three registries", Timing.Hang);
        }

        // From here on, every view any client publishes must list all three hosts.
        int fewest = Hosts;
        foreach (ServiceClient client in clients)
        {
            client.Discovery.Changed += (_, s) => InterlockedMin(ref fewest, s.MembersOf("kv").Count);
        }
        int completed = 0;
        bool done = false;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        Task[] runs = [.. clients.Select((client, c) => Task.Run(async () =>
        {
            // Requests run on until the clients have seen the dead registry go and the survivors repeat their views.
            for (int i = 0; !Volatile.Read(ref done); i++)
            {
                try
                {
                    string reply = Encoding.UTF8.GetString(await client.RequestAsync("kv", Encoding.UTF8.GetBytes($"c{c}r{i}")));
                    Assert.EndsWith($":c{c}r{i}", reply, StringComparison.Ordinal);
                }
                catch (Exception ex)
                {
                    failures.Enqueue(ex);
                }
                Interlocked.Increment(ref completed);
            }
        }))];

        await Eventually.True(() => Volatile.Read(ref completed) >= RequestsBeforeKill, "requests are running", Timing.Hang);
        Registry killed = registries[1];
        await killed.DisposeAsync();
        int atKill = Volatile.Read(ref completed);
        foreach (ServiceClient client in clients)
        {
            await Eventually.True(() => client.Discovery.Sources[killed.PublishUrl].Lost, "each client notices the dead registry", Timing.Hang);
            long seen = client.Discovery.SnapshotsReceived;
            await Eventually.True(() => client.Discovery.SnapshotsReceived >= seen + 4, "more snapshots from the live registries", Timing.Hang);
        }
        Volatile.Write(ref done, true);
        await Task.WhenAll(runs).WaitAsync(Timing.Hang);

        Assert.Empty(failures);
        Assert.True(Volatile.Read(ref completed) > atKill, "requests went on after the kill");
        Assert.All(clients, client => Assert.Equal(Hosts, client.Discovery.Current.MembersOf("kv").Count));
        Assert.Equal(Hosts, Volatile.Read(ref fewest));
        Assert.All(registries.Where(r => r != killed), r => Assert.Equal(Hosts, r.Current.MembersOf("kv").Count));
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current;
        while (value < (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
