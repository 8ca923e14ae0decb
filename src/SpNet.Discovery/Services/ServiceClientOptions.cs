namespace SpNet.Discovery;

/// <summary>Settings of a <see cref="ServiceClient"/>.</summary>
public sealed class ServiceClientOptions
{
    /// <summary>
    /// The registries to follow (<see cref="ServiceClient.Start"/> needs at least one) and, for
    /// <see cref="ServiceClient.PublishAsync"/>, to list this node's topic publisher with.
    /// </summary>
    public IReadOnlyList<RegistryEndpoint> Registries { get; set; } = [];

    /// <summary>
    /// The discovery backend to follow and list the topic publisher with, instead of <see cref="Registries"/>: e.g.
    /// SpNet.Discovery.Etcd's <c>EtcdBackend</c>. Not owned: dispose it after the client. Null (default): the SP
    /// registries in <see cref="Registries"/>.
    /// </summary>
    public IDiscoveryBackend? Backend { get; set; }

    /// <summary>
    /// Our zone, or null (default) for no locality. When set, requests and tunnels go only to members whose
    /// <c>meta.zone</c> equals it while any is alive, to the others only when no local member is left.
    /// </summary>
    public string? Zone { get; set; }

    /// <summary>
    /// Per-cluster keys, or null (default) for no TLS: <see cref="TlsOptions.CaCertificates"/> is the cluster CA and
    /// <see cref="TlsOptions.Certificate"/> this node's certificate (offered to registries, served by the topic
    /// publisher). A member is accepted only when its certificate chains to the CA and names the service dialed
    /// (SAN DNS or CN); any other fails the handshake and is counted, never used.
    /// </summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>Resend a request whose reply has not come after this long (REQ resend time). Default 5 s.</summary>
    public TimeSpan ResendTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one request, of opening a tunnel, and of the wait for a first discovery snapshot. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a broadcast or gather to a service first used waits for its listed members to be connected. Default 2 s;
    /// after that, members still connecting miss the message.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The credit window this client grants on tunnels it opens, at the start (messages, 1 to 4,096). Default
    /// <see cref="Tunnel.DefaultWindow"/>. It grows up to <see cref="TunnelMaxWindow"/> while it limits the flow.
    /// </summary>
    public int TunnelWindow { get; set; } = Tunnel.DefaultWindow;

    /// <summary>
    /// How far a tunnel's window may grow (messages, 1 to 4,096): it doubles while the member runs out of credit and
    /// this side's reader keeps up. Default <see cref="Tunnel.DefaultMaxWindow"/>; at or below <see cref="TunnelWindow"/>
    /// the window does not grow. A tunnel holds at most this many unread messages (times their size) in memory.
    /// </summary>
    public int TunnelMaxWindow { get; set; } = Tunnel.DefaultMaxWindow;

    /// <summary>How long a tunnel send waits for credit before failing with <see cref="SpError.TimedOut"/>. Default 30 s.</summary>
    public TimeSpan TunnelSendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where this node's topic publisher listens (started by the first <see cref="ServiceClient.PublishAsync"/>); announced
    /// as is, so name a host subscribers can reach. Null: <c>tcp://127.0.0.1:0</c>, or <c>tls+tcp://127.0.0.1:0</c> with <see cref="Tls"/>.
    /// </summary>
    public string? TopicAddress { get; set; }

    /// <summary>Largest redial wait of the member dialers. Default 500 ms.</summary>
    public TimeSpan ReconnectMaxTime { get; set; } = ServiceRegistration.DefaultReconnectMaxTime;

    /// <summary>Where the client's sockets (and the discovery client <see cref="ServiceClient.Start"/> makes) log failed dials and lost connections; null (default) logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    /// <summary>True when there is somewhere to follow and announce: <see cref="Backend"/> or at least one registry.</summary>
    internal bool HasBackend => Backend is not null || Registries is { Count: > 0 };

    /// <summary>The backend: <see cref="Backend"/>, else the registries.</summary>
    internal IDiscoveryBackend DiscoveryBackend() => Backend ?? new RegistryBackend(Registries, ReconnectMaxTime, tls: Tls, logger: Logger);

    internal void Validate()
    {
        Tunnel.CheckWindow(TunnelWindow, nameof(TunnelWindow));
        Tunnel.CheckWindow(TunnelMaxWindow, nameof(TunnelMaxWindow));
        foreach (var (name, value) in (ReadOnlySpan<(string, TimeSpan)>)[(nameof(RequestTimeout), RequestTimeout), (nameof(ConnectTimeout), ConnectTimeout), (nameof(TunnelSendTimeout), TunnelSendTimeout), (nameof(ResendTime), ResendTime)])
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, "positive");
            }
        }
    }
}
