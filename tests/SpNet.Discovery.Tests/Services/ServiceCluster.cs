using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

/// <summary>A registry on loopback plus helpers to start hosts and clients against it.</summary>
internal sealed class ServiceCluster : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    private ServiceCluster(Registry registry) => Registry = registry;

    public Registry Registry { get; private set; }

    public RegistryEndpoint Endpoint => new(Registry.SurveyUrl, Registry.PublishUrl);

    public static async Task<ServiceCluster> StartAsync(RegistryOptions? options = null)
    {
        var registry = new Registry(options ?? Timing.Options());
        await registry.StartAsync();
        return new ServiceCluster(registry);
    }

    public async Task<ServiceHost> HostAsync(string service, Action<ServiceHostOptions>? configure = null)
    {
        var options = new ServiceHostOptions { Service = service, Registries = [Endpoint] };
        configure?.Invoke(options);
        ServiceHost host = await ServiceHost.StartAsync(options);
        _owned.Add(host);
        return host;
    }

    public ServiceClient Client(Action<ServiceClientOptions>? configure = null)
    {
        var options = new ServiceClientOptions { Registries = [Endpoint], RequestTimeout = TimeSpan.FromSeconds(10) };
        configure?.Invoke(options);
        ServiceClient client = ServiceClient.Start(options);
        _owned.Add(client);
        return client;
    }

    /// <summary>Waits until the client's view lists <paramref name="count"/> members of <paramref name="service"/>.</summary>
    public static Task WaitForMembersAsync(ServiceClient client, string service, int count) =>
        client.Discovery.WaitForAsync(s => s.MembersOf(service).Count == count, Timing.Within(Timing.Hang));

    /// <summary>Replaces the registry with a fresh one on the same addresses (a restart).</summary>
    public async Task RestartRegistryAsync(Func<Task> whileDown)
    {
        string survey = Registry.SurveyUrl;
        string publish = Registry.PublishUrl;
        await Registry.DisposeAsync();
        await whileDown();
        Registry = new Registry(Timing.Options(survey, publish));
        await Registry.StartAsync();
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
