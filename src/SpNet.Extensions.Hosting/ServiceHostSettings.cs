using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// One service served by name (<c>SpNet:Services:&lt;name&gt;</c>): a <see cref="ServiceHost"/> started with the host,
/// registered with every registry in <see cref="SurveyUrls"/>, whose handlers come from the container
/// (<see cref="IServiceRequestHandler"/>, <see cref="IServiceBroadcastHandler"/>, <see cref="IServiceTunnelHandler"/>
/// registered as keyed services under the same name) or from <see cref="Configure"/>.
/// </summary>
public sealed class ServiceHostSettings
{
    /// <summary>The service name clients address; null or empty means the settings' name.</summary>
    public string? Service { get; set; }

    /// <summary>The survey URL of every registry to register with; at least one unless <see cref="Backend"/> is set.</summary>
    public IList<string> SurveyUrls { get; } = [];

    /// <summary>
    /// Another discovery backend to register with instead of <see cref="SurveyUrls"/> (e.g. <c>EtcdBackend</c>; set in
    /// code only). Not owned: the host disposes the service host, not the backend.
    /// </summary>
    public IDiscoveryBackend? Backend { get; set; }

    /// <summary>Where the request socket listens (see <see cref="ServiceHostOptions.Address"/>); null means <c>tcp://127.0.0.1:0</c>.</summary>
    public string? Address { get; set; }

    /// <summary>The zone announced as <c>meta.zone</c>; null for none.</summary>
    public string? Zone { get; set; }

    /// <summary>Extra metadata announced with the member (keys starting with <c>sp.</c> are reserved).</summary>
    public IDictionary<string, string> Meta { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Handlers run at once; default <see cref="ServiceHostOptions.DefaultMaxConcurrency"/>.</summary>
    public int MaxConcurrency { get; set; } = ServiceHostOptions.DefaultMaxConcurrency;

    /// <summary>Credit window granted on each tunnel (messages); default <see cref="Tunnel.DefaultWindow"/>.</summary>
    public int TunnelWindow { get; set; } = Tunnel.DefaultWindow;

    /// <summary>How far a tunnel's window may grow while it limits the flow (messages); default <see cref="Tunnel.DefaultMaxWindow"/>.</summary>
    public int TunnelMaxWindow { get; set; } = Tunnel.DefaultMaxWindow;

    /// <summary>How long a tunnel send waits for credit; default 30 s.</summary>
    public TimeSpan TunnelSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>TLS for the listeners and the registrations (per-cluster keys), from PEM files; null for none.</summary>
    public TlsFileSettings? Tls { get; set; }

    /// <summary>The registries' survey interval, used by the health check to count missed rounds. Default <see cref="RegistryOptions.DefaultInterval"/>.</summary>
    public TimeSpan RegistryInterval { get; set; } = RegistryOptions.DefaultInterval;

    /// <summary>Rounds without a survey after which the health check reports Degraded. Default 3.</summary>
    public int DegradedAfterRounds { get; set; } = 3;

    /// <summary>Rounds without a survey after which the health check reports Unhealthy. Default 10.</summary>
    public int UnhealthyAfterRounds { get; set; } = 10;

    /// <summary>Runs once the host has started, before it is visible in <see cref="SpNetServiceHosts"/>: sets handlers in code (set in code only).</summary>
    public Action<ServiceHost, IServiceProvider>? Configure { get; set; }
}
