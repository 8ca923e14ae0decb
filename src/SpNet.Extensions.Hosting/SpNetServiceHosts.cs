using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// The host's running <see cref="ServiceHost"/>s by settings name (<c>SpNet:Services:&lt;name&gt;</c>). They start after
/// the sockets, the registry and the registrations, so a service host can register with a registry in the same
/// process, and stop first.
/// </summary>
public sealed class SpNetServiceHosts : IAsyncDisposable
{
    private readonly SpNetSetup _setup;
    private readonly RunningSet<ServiceHostSettings, ServiceHost> _running;

    internal SpNetServiceHosts(SpNetSetup setup)
    {
        _setup = setup;
        _running = new(setup.ServiceHosts, "service host", host => host.Registration);
    }

    /// <summary>The configured service host names.</summary>
    public IReadOnlyCollection<string> Names => _running.Names;

    /// <summary>The running service host <paramref name="name"/>, or null before the host started it or after it stopped.</summary>
    /// <exception cref="KeyNotFoundException">No service host has that name.</exception>
    public ServiceHost? this[string name] => _running[name];

    /// <summary>Stops every service host: each leaves its registries, stops serving and closes its listeners. Idempotent.</summary>
    public ValueTask DisposeAsync() => _running.DisposeAsync();

    /// <summary>Each running service host's registration with how long its registries have not confirmed it.</summary>
    internal List<(string Name, ServiceRegistration Registration, TimeSpan Silent, ServiceHostSettings Settings)> Observe(DateTimeOffset now) =>
        _running.Observe(now);

    internal async Task StartAllAsync(IServiceProvider provider, ILoggerFactory loggerFactory, TimeProvider clock, CancellationToken cancellationToken)
    {
        foreach (var (name, settings) in _setup.ServiceHosts)
        {
            var onRequest = provider.GetKeyedService<IServiceRequestHandler>(name);
            var onBroadcast = provider.GetKeyedService<IServiceBroadcastHandler>(name);
            var onTunnel = provider.GetKeyedService<IServiceTunnelHandler>(name);
            if (onRequest is null && onBroadcast is null && onTunnel is null && settings.Configure is null)
            {
                // Work arriving before a handler is set waits for one, so a host without any would hang its callers.
                throw new InvalidOperationException(
                    $"SpNet service host '{name}' has no handler: register an {nameof(IServiceRequestHandler)}, {nameof(IServiceBroadcastHandler)} " +
                    $"or {nameof(IServiceTunnelHandler)} as a keyed service '{name}', or set {nameof(ServiceHostSettings.Configure)}");
            }
            ServiceHost host = await ServiceHost.StartAsync(OptionsFor(name, settings, loggerFactory), cancellationToken).ConfigureAwait(false);
            try
            {
                if (onRequest is not null)
                {
                    host.OnRequest(onRequest.HandleAsync);
                }
                if (onBroadcast is not null)
                {
                    host.OnBroadcast(onBroadcast.HandleAsync);
                }
                if (onTunnel is not null)
                {
                    host.OnTunnel(onTunnel.HandleAsync);
                }
                settings.Configure?.Invoke(host, provider);
            }
            catch
            {
                await host.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            _running.Add(name, host, clock.GetUtcNow());
        }
    }

    private static ServiceHostOptions OptionsFor(string name, ServiceHostSettings settings, ILoggerFactory loggerFactory) => new()
    {
        Service = string.IsNullOrEmpty(settings.Service) ? name : settings.Service,
        Registries = [.. settings.SurveyUrls.Select(RegistryEndpoint.Survey)],
        Backend = settings.Backend,
        Address = string.IsNullOrEmpty(settings.Address) ? null : settings.Address,
        Zone = string.IsNullOrEmpty(settings.Zone) ? null : settings.Zone,
        Meta = settings.Meta.Count == 0 ? null : new Dictionary<string, string>(settings.Meta, StringComparer.Ordinal),
        MaxConcurrency = settings.MaxConcurrency,
        TunnelWindow = settings.TunnelWindow,
        TunnelMaxWindow = settings.TunnelMaxWindow,
        TunnelSendTimeout = settings.TunnelSendTimeout,
        Tls = settings.Tls?.ToOptions(),
        Logger = loggerFactory.CreateLogger($"SpNet.Services.{name}"),
    };
}
