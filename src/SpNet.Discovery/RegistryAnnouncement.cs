namespace SpNet.Discovery;

/// <summary>
/// A member's answers to the SP registries: one <see cref="SurveyLink"/> per survey address, each a RESPONDENT of its
/// own with its own answer loop. Apart, so that a registry whose connection stalls or goes silent never delays the
/// answers to the others, and so that each link can tell when its own registry has gone silent and redial it.
/// </summary>
internal sealed class RegistryAnnouncement : IDiscoveryAnnouncement
{
    private readonly RegistryLinks<SurveyLink> _links;

    public RegistryAnnouncement(IReadOnlyList<string> surveyUrls, ServiceMember member, TimeSpan reconnectMaxTime, TimeSpan silenceTimeout, TlsOptions? tls, Microsoft.Extensions.Logging.ILogger? logger)
    {
        byte[] answer = DiscoveryFormat.EncodeAnnouncement(member);
        _links = RegistryLinks<SurveyLink>.Open(surveyUrls, url => new SurveyLink(url, answer, reconnectMaxTime, silenceTimeout, tls, logger));
    }

    public bool IsConnected => _links.All.Any(l => l.IsConnected);

    public long Renewals => _links.All.Sum(l => l.Answered);

    /// <summary>Connections closed because their registry went silent, over every link (for tests and diagnostics).</summary>
    public long SilentRedials => _links.All.Sum(l => l.SilentRedials);

    public ValueTask DisposeAsync() => _links.DisposeAsync();
}
