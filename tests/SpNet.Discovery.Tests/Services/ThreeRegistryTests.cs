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
            registries[i] = cleanup.Add(await Timing.StartRegistryAsync());
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
        RequestLoad load = RequestLoad.Start(clients, Hosts, (request, reply) => Assert.EndsWith($":{request}", reply, StringComparison.Ordinal));

        await Eventually.True(() => load.Completed >= RequestsBeforeKill, "requests are running", Timing.Hang);
        Registry killed = registries[1];
        await killed.DisposeAsync();
        int atKill = load.Completed;
        foreach (ServiceClient client in clients)
        {
            await Eventually.True(() => client.Discovery.Sources[killed.PublishUrl].Lost, "each client notices the dead registry", Timing.Hang);
            long seen = client.Discovery.SnapshotsReceived;
            await Eventually.True(() => client.Discovery.SnapshotsReceived >= seen + 4, "more snapshots from the live registries", Timing.Hang);
        }
        await load.StopAsync(Timing.Hang);

        Assert.Empty(load.Failures);
        Assert.True(load.Completed > atKill, "requests went on after the kill");
        Assert.All(clients, client => Assert.Equal(Hosts, client.Discovery.Current.MembersOf("kv").Count));
        Assert.Equal(Hosts, load.Fewest);
        Assert.All(registries.Where(r => r != killed), r => Assert.Equal(Hosts, r.Current.MembersOf("kv").Count));
    }
}
