using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// A member's side of discovery: announces <see cref="Member"/> through a backend until disposed. With the SP
/// registries (the default) that is a RESPONDENT dialing every registry's survey address and answering each survey
/// with the member as JSON; it redials quickly (100 ms, growing to at most <see cref="DefaultReconnectMaxTime"/>), so
/// answering resumes soon after a registry restart. Thread-safe.
/// </summary>
public sealed class ServiceRegistration : IAsyncDisposable
{
    /// <summary>Default upper bound of the redial backoff: 500 ms.</summary>
    public static readonly TimeSpan DefaultReconnectMaxTime = TimeSpan.FromMilliseconds(500);

    private readonly IDiscoveryAnnouncement _announcement;

    private ServiceRegistration(IDiscoveryBackend backend, ServiceMember member)
    {
        if (DiscoveryFormat.CheckLimits(member) is { } violation)
        {
            throw new ArgumentException(violation, nameof(member));
        }
        Member = member;
        Backend = backend;
        _announcement = backend.Announce(member);
    }

    /// <summary>
    /// Starts answering surveys from <paramref name="surveyUrl"/> as <paramref name="member"/>. Returns at once; the
    /// registry need not be up yet (the dialer keeps trying).
    /// </summary>
    /// <param name="surveyUrl">The registry's survey address.</param>
    /// <param name="member">This member's identity.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means <see cref="DefaultReconnectMaxTime"/>.</param>
    /// <param name="tls">TLS for <c>tls+tcp://</c> registries: the CA that issued their certificates, and the member's certificate (offered as the client certificate); null for none.</param>
    /// <exception cref="ArgumentException">The member is above the size limits (<see cref="DiscoveryFormat.CheckLimits"/>).</exception>
    /// <param name="logger">Receives the sockets' events (failed dials to a registry, lost connections); null logs nothing.</param>
    /// <exception cref="SpNetException">The URL is invalid.</exception>
    public static ServiceRegistration Start(string surveyUrl, ServiceMember member, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(surveyUrl);
        return Start([RegistryEndpoint.Survey(surveyUrl)], member, reconnectMaxTime, tls, logger);
    }

    /// <summary>
    /// Starts answering the surveys of every registry in <paramref name="registries"/> (their survey addresses) as
    /// <paramref name="member"/>, so the member stays listed while any of them runs. Returns at once.
    /// </summary>
    /// <param name="registries">The registries; each needs a survey address.</param>
    /// <param name="member">This member's identity.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means <see cref="DefaultReconnectMaxTime"/>.</param>
    /// <param name="tls">TLS for <c>tls+tcp://</c> registries: the CA that issued their certificates, and the member's certificate (offered as the client certificate); null for none.</param>
    /// <exception cref="ArgumentException">No registry has a survey address, or the member is above the size limits.</exception>
    /// <param name="logger">Receives the sockets' events (failed dials to a registry, lost connections); null logs nothing.</param>
    /// <exception cref="SpNetException">A URL is invalid.</exception>
    public static ServiceRegistration Start(IEnumerable<RegistryEndpoint> registries, ServiceMember member, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null, ILogger? logger = null) =>
        Start(new RegistryBackend(registries, reconnectMaxTime, tls: tls, logger: logger), member);

    /// <summary>Starts announcing <paramref name="member"/> through <paramref name="backend"/>. Returns at once.</summary>
    /// <param name="backend">Where to announce (not owned: dispose it, when disposable, after this registration).</param>
    /// <param name="member">This member's identity.</param>
    /// <exception cref="ArgumentException">The backend has nowhere to announce, or the member is above the size limits.</exception>
    /// <exception cref="SpNetException">An address is invalid.</exception>
    public static ServiceRegistration Start(IDiscoveryBackend backend, ServiceMember member)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(member);
        return new ServiceRegistration(backend, member);
    }

    /// <summary>The identity announced.</summary>
    public ServiceMember Member { get; }

    /// <summary>The backend announced to.</summary>
    public IDiscoveryBackend Backend { get; }

    /// <summary>True while connected to at least one registry (or while the backend's lease is alive).</summary>
    public bool IsConnected => _announcement.IsConnected;

    /// <summary>Times the member has been confirmed so far: survey answers sent, or lease renewals.</summary>
    public long Renewals => _announcement.Renewals;

    /// <summary>Stops announcing; the member leaves after the backend's leave time (registries: its missed rounds). Idempotent.</summary>
    public ValueTask DisposeAsync() => _announcement.DisposeAsync();
}
