using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// The SP registries as a discovery backend: a member answers the surveys of every registry given (one RESPONDENT
/// dialing each survey address), and a client follows every registry's publish address (one SUB socket each) and
/// merges their views (<see cref="DiscoveryClient"/>). Run several registries for redundancy: a member stays listed
/// while any live registry lists it. Holds no resources itself; thread-safe.
/// </summary>
public sealed class RegistryBackend : IDiscoveryBackend
{
    /// <summary>Default time without any message from a registry before a client stops trusting its view and a client or member redials it: 5 s (five default intervals).</summary>
    public static readonly TimeSpan DefaultSilenceTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Creates the backend for <paramref name="registries"/>, in order (the first's meta wins when views disagree).</summary>
    /// <param name="registries">At least one registry.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means <see cref="ServiceRegistration.DefaultReconnectMaxTime"/>.</param>
    /// <param name="silenceTimeout">
    /// How long a client waits for a registry's next snapshot (registries repeat theirs every interval) before it
    /// treats that registry as lost, and how long a client or member keeps a connection on which the registry sends
    /// nothing (no snapshot, no survey) before it closes it and dials again; null means
    /// <see cref="DefaultSilenceTimeout"/>. Catches a partitioned registry whose connection never breaks, and a
    /// registry that came back while the connection to it was cut off. Keep it above the
    /// registries' interval: a registry surveying less often than this would be redialed every timeout.
    /// </param>
    /// <param name="tls">
    /// TLS for <c>tls+tcp://</c> registries: the CA that issued the registries' certificates, and our certificate
    /// when they require one (members offer it as their client certificate); null for none.
    /// </param>
    /// <param name="logger">Receives the members' and clients' socket events (failed dials to a registry, lost connections); null logs nothing.</param>
    /// <exception cref="ArgumentException">No registry is given, or one names neither address.</exception>
    public RegistryBackend(IEnumerable<RegistryEndpoint> registries, TimeSpan? reconnectMaxTime = null, TimeSpan? silenceTimeout = null, TlsOptions? tls = null, ILogger? logger = null)
    {
        Logger = logger;
        ArgumentNullException.ThrowIfNull(registries);
        Registries = [.. registries];
        if (Registries.Count == 0)
        {
            throw new ArgumentException("at least one registry is required", nameof(registries));
        }
        foreach (RegistryEndpoint registry in Registries)
        {
            if (registry is null || (string.IsNullOrWhiteSpace(registry.SurveyUrl) && string.IsNullOrWhiteSpace(registry.PublishUrl)))
            {
                throw new ArgumentException("each registry needs a survey or a publish address", nameof(registries));
            }
        }
        ReconnectMaxTime = reconnectMaxTime ?? ServiceRegistration.DefaultReconnectMaxTime;
        SilenceTimeout = silenceTimeout ?? DefaultSilenceTimeout;
        Tls = tls;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReconnectMaxTime, TimeSpan.Zero, nameof(reconnectMaxTime));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(SilenceTimeout, TimeSpan.Zero, nameof(silenceTimeout));
    }

    /// <summary>The registries, in the order given.</summary>
    public IReadOnlyList<RegistryEndpoint> Registries { get; }

    /// <summary>Largest redial wait of members and clients.</summary>
    public TimeSpan ReconnectMaxTime { get; }

    /// <summary>How long a client trusts a silent registry's last snapshot, and a client or member a silent connection.</summary>
    public TimeSpan SilenceTimeout { get; }

    /// <summary>TLS used on every dial, or null.</summary>
    public TlsOptions? Tls { get; }

    /// <summary>The logger given to every socket this backend opens, or null.</summary>
    public ILogger? Logger { get; }

    /// <inheritdoc />
    public string Description => string.Join(", ", Registries);

    /// <inheritdoc />
    public IDiscoveryAnnouncement Announce(ServiceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        string[] surveys = [.. Registries.Select(r => r.SurveyUrl).OfType<string>().Where(u => !string.IsNullOrWhiteSpace(u))];
        if (surveys.Length == 0)
        {
            throw new ArgumentException($"no survey address to register {member} with: {Description}");
        }
        return new RegistryAnnouncement(surveys, member, ReconnectMaxTime, SilenceTimeout, Tls, Logger);
    }

    /// <inheritdoc />
    public IAsyncDisposable Watch(IDiscoveryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        string[] publishes = [.. Registries.Select(r => r.PublishUrl).OfType<string>().Where(u => !string.IsNullOrWhiteSpace(u))];
        if (publishes.Length == 0)
        {
            throw new ArgumentException($"no publish address to watch: {Description}");
        }
        return RegistryLinks<RegistryFollower>.Open(publishes, url => new RegistryFollower(url, observer, ReconnectMaxTime, SilenceTimeout, Tls, Logger));
    }
}
