using SpNet.Discovery;

namespace SpNet.Services.Bench;

/// <summary>A loopback registry with a 200 ms heartbeat, and the clients made against it (members run in a <see cref="MemberProcess"/>).</summary>
internal sealed class Cluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private Cluster(Registry registry) => Registry = registry;

    public Registry Registry { get; }

    public RegistryEndpoint Endpoint => new(Registry.SurveyUrl, Registry.PublishUrl);

    public static async Task<Cluster> StartAsync()
    {
        var registry = new Registry(new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0", Interval = TimeSpan.FromMilliseconds(200) });
        await registry.StartAsync();
        return new Cluster(registry);
    }

    /// <summary>The arguments of a member process for <paramref name="kind"/>: the kind, this registry, then the rest.</summary>
    public string[] Args(string kind, params object[] rest) =>
        [kind, Registry.SurveyUrl, Registry.PublishUrl, .. rest.Select(r => Convert.ToString(r, System.Globalization.CultureInfo.InvariantCulture)!)];

    public ServiceClient Client()
    {
        ServiceClient client = ServiceClient.Start(new ServiceClientOptions { Registries = [Endpoint] });
        _owned.Add(client);
        return client;
    }

    public static async Task WaitForMembersAsync(ServiceClient client, string service, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.Discovery.WaitForAsync(s => s.MembersOf(service).Count == count, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
        await Registry.DisposeAsync();
    }
}
