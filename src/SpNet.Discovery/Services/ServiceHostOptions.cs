using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>Settings of a <see cref="ServiceHost"/>. Checked by <see cref="ServiceHost.StartAsync"/>.</summary>
public sealed class ServiceHostOptions
{
    /// <summary>Default number of handlers run at once: 64.</summary>
    public const int DefaultMaxConcurrency = 64;

    /// <summary>The service name clients address. Required.</summary>
    public string Service { get; set; } = "";

    /// <summary>The registries to register with (every one of them). At least one is required unless <see cref="Backend"/> is set.</summary>
    public IReadOnlyList<RegistryEndpoint> Registries { get; set; } = [];

    /// <summary>
    /// Where to register instead of <see cref="Registries"/>: any discovery backend, e.g. SpNet.Discovery.Etcd's
    /// <c>EtcdBackend</c>. Not owned: dispose it after the host. Null (default): the SP registries in <see cref="Registries"/>.
    /// </summary>
    public IDiscoveryBackend? Backend { get; set; }

    /// <summary>The zone announced as <c>meta.zone</c> (clients with the same zone prefer this member); null for none.</summary>
    public string? Zone { get; set; }

    /// <summary>Extra metadata announced with the member (keys starting with <c>sp.</c> are reserved).</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; set; }

    /// <summary>
    /// Where the request (REP) socket listens; the broadcast, gather and tunnel sockets listen on the same scheme and
    /// host with a port of their own. Announced as is, so name a host clients can reach, not <c>0.0.0.0</c>; port 0
    /// picks a free port. Null (default): <c>tcp://127.0.0.1:0</c>, or <c>tls+tcp://127.0.0.1:0</c> when
    /// <see cref="Tls"/> is set.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// The member's TLS settings (per-cluster keys): <see cref="TlsOptions.Certificate"/> serves every listener and is
    /// offered to the registries as the client certificate; <see cref="TlsOptions.CaCertificates"/> (the cluster CA)
    /// verifies the registries. In a cluster the certificate must name <see cref="Service"/> (SAN DNS or CN). Null: no TLS.
    /// </summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>How many handlers (request, gather, broadcast) run at once. Default <see cref="DefaultMaxConcurrency"/>; 1 to 4096.</summary>
    public int MaxConcurrency { get; set; } = DefaultMaxConcurrency;

    /// <summary>
    /// Credit window the host grants on each tunnel it accepts at the start (messages, 1 to 4,096). Default
    /// <see cref="Tunnel.DefaultWindow"/>. It grows up to <see cref="TunnelMaxWindow"/> while it limits the flow.
    /// </summary>
    public int TunnelWindow { get; set; } = Tunnel.DefaultWindow;

    /// <summary>
    /// How far a tunnel's window may grow (messages, 1 to 4,096): it doubles while the client runs out of credit and
    /// the handler keeps up. Default <see cref="Tunnel.DefaultMaxWindow"/>; at or below <see cref="TunnelWindow"/>
    /// the window does not grow. A tunnel holds at most this many unread messages (times their size) in memory.
    /// </summary>
    public int TunnelMaxWindow { get; set; } = Tunnel.DefaultMaxWindow;

    /// <summary>How long a tunnel send waits for credit before failing with <see cref="SpError.TimedOut"/>. Default 30 s.</summary>
    public TimeSpan TunnelSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where handler failures (still counted) and the host's sockets' and registration's events are logged; null logs nothing.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The backend to register with: <see cref="Backend"/>, else the registries.</summary>
    internal IDiscoveryBackend DiscoveryBackend() => Backend ?? new RegistryBackend(Registries, tls: Tls, logger: Logger);

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Service, nameof(Service));
        if (Service == ServiceMeta.TopicsService)
        {
            throw new ArgumentException($"'{ServiceMeta.TopicsService}' is reserved for topic publishers", nameof(Service));
        }
        if (Backend is null && Registries is not { Count: > 0 })
        {
            throw new ArgumentException("at least one registry (or a backend) is required", nameof(Registries));
        }
        if (MaxConcurrency is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), MaxConcurrency, "1 to 4096");
        }
        Tunnel.CheckWindow(TunnelWindow, nameof(TunnelWindow));
        Tunnel.CheckWindow(TunnelMaxWindow, nameof(TunnelMaxWindow));
        if (TunnelSendTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TunnelSendTimeout), TunnelSendTimeout, "positive");
        }
        if (Meta?.Keys.FirstOrDefault(k => k.StartsWith("sp.", StringComparison.Ordinal)) is string reserved)
        {
            throw new ArgumentException($"meta key '{reserved}' is reserved", nameof(Meta));
        }
    }
}
