namespace SpNet.Discovery;

/// <summary>Settings of a <see cref="Registry"/>. Checked when the registry is created.</summary>
public sealed class RegistryOptions
{
    /// <summary>Default heartbeat: 1 s.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Default number of rounds a member may miss in a row before it is removed: 2.</summary>
    public const int DefaultMissedRounds = 2;

    /// <summary>Default largest answer accepted: 8 KiB (a legal member encodes to at most <see cref="DiscoveryFormat.MaxMemberSize"/>, 5 KiB; the rest is room for another encoder's escapes and spacing).</summary>
    public const int DefaultMaxAnswerSize = 8 * 1024;

    /// <summary>Default most members a registry lists: 10,000 (its snapshot then stays below <see cref="DiscoveryFormat.MaxSnapshotSize"/> = 51.2 MB).</summary>
    public const int DefaultMaxMembers = 10_000;

    /// <summary>Default most members one connection may announce per survey: 16 (a process registering a few services and addresses).</summary>
    public const int DefaultMaxMembersPerAnswer = 16;

    /// <summary>Where the SURVEYOR listens and members dial (e.g. <c>tcp://0.0.0.0:7000</c>; port 0 picks one). Required.</summary>
    public string SurveyUrl { get; set; } = "";

    /// <summary>Where the PUB socket listens and <see cref="DiscoveryClient"/>s dial. Required.</summary>
    public string PublishUrl { get; set; } = "";

    /// <summary>Time between surveys. Default <see cref="DefaultInterval"/>; at least 10 ms.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>How long each survey collects answers; null (default) means half of <see cref="Interval"/>. Must be below <see cref="Interval"/>.</summary>
    public TimeSpan? SurveyDeadline { get; set; }

    /// <summary>A member missing this many consecutive rounds is removed. Default <see cref="DefaultMissedRounds"/>; at least 1.</summary>
    public int MissedRounds { get; set; } = DefaultMissedRounds;

    /// <summary>
    /// Largest answer in bytes (default <see cref="DefaultMaxAnswerSize"/>). Used as the surveyor's
    /// <see cref="Socket.MaxReceiveSize"/>, so a larger answer is refused from its length header, before it is read,
    /// and counted in <see cref="RegistryStatistics.OversizedAnswers"/>.
    /// </summary>
    public int MaxAnswerSize { get; set; } = DefaultMaxAnswerSize;

    /// <summary>
    /// How often the current snapshot is published again even without a change, so late subscribers catch up;
    /// null (default) means every <see cref="Interval"/>.
    /// </summary>
    public TimeSpan? RepublishInterval { get; set; }

    /// <summary>
    /// TLS for both listeners (use <c>tls+tcp://</c> URLs): <see cref="TlsOptions.Certificate"/> is the registry's
    /// certificate; with <see cref="TlsOptions.ClientAuth"/> = <see cref="TlsAuthMode.Required"/> and the cluster CA in
    /// <see cref="TlsOptions.CaCertificates"/>, only holders of a certificate issued by that CA can register or watch.
    /// Null (default): no TLS.
    /// </summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>
    /// Cluster mode: list a member only when the certificate of the connection it answers on names the service it
    /// announces (SAN DNS, else CN, as a TLS client checks a server name); a topic publisher (service
    /// <see cref="ServiceMeta.TopicsService"/>) must be named by the name it announces in <see cref="ServiceMeta.TlsName"/>.
    /// Other answers are ignored, counted in <see cref="RegistryStatistics.CertificateMismatches"/> and logged as a
    /// warning. Requires a <c>tls+tcp://</c> <see cref="SurveyUrl"/> and <see cref="Tls"/> with
    /// <see cref="TlsAuthMode.Required"/> client certificates and the cluster CA in <see cref="TlsOptions.CaCertificates"/>
    /// (the handshake then checks that every certificate chains to it). Default false: any member the handshake
    /// admits may list itself under any name.
    /// </summary>
    public bool RequireServiceCertificate { get; set; }

    /// <summary>
    /// Most members listed at once (default <see cref="DefaultMaxMembers"/>; 1 to <see cref="DefaultMaxMembers"/>, so
    /// every client can take every snapshot). New members beyond it are refused, counted in
    /// <see cref="RegistryStatistics.MembersRefused"/> and logged as a warning.
    /// </summary>
    public int MaxMembers { get; set; } = DefaultMaxMembers;

    /// <summary>
    /// Most distinct members one connection (pipe) may announce in one survey round, and may have listed at once
    /// (default <see cref="DefaultMaxMembersPerAnswer"/>; at least 1). Further answers from it in that round, and new
    /// members while it has that many listed, are ignored and counted in <see cref="RegistryStatistics.AnswersOverCap"/>.
    /// </summary>
    public int MaxMembersPerAnswer { get; set; } = DefaultMaxMembersPerAnswer;

    /// <summary>Where the registry logs members joining and leaving, a full member table (warning) and its sockets' events; null (default) logs nothing.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; set; }

    internal TimeSpan EffectiveDeadline => SurveyDeadline ?? Interval / 2;

    internal TimeSpan EffectiveRepublish => RepublishInterval ?? Interval;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(SurveyUrl))
        {
            throw new ArgumentException("a survey URL is required", nameof(SurveyUrl));
        }
        if (string.IsNullOrWhiteSpace(PublishUrl))
        {
            throw new ArgumentException("a publish URL is required", nameof(PublishUrl));
        }
        if (Interval < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(Interval), Interval, "at least 10 ms");
        }
        if (EffectiveDeadline <= TimeSpan.Zero || EffectiveDeadline >= Interval)
        {
            throw new ArgumentOutOfRangeException(nameof(SurveyDeadline), EffectiveDeadline, "positive and below the interval");
        }
        if (MissedRounds < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MissedRounds), MissedRounds, "at least 1");
        }
        if (MaxAnswerSize < 64)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAnswerSize), MaxAnswerSize, "at least 64 bytes");
        }
        if (MaxMembers is < 1 or > DefaultMaxMembers)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMembers), MaxMembers, $"between 1 and {DefaultMaxMembers}");
        }
        if (MaxMembersPerAnswer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxMembersPerAnswer), MaxMembersPerAnswer, "at least 1");
        }
        if (RequireServiceCertificate)
        {
            ValidateClusterMode();
        }
        if (EffectiveRepublish <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RepublishInterval), EffectiveRepublish, "positive");
        }
    }

    private void ValidateClusterMode()
    {
        if (!SurveyUrl.StartsWith("tls+tcp", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("RequireServiceCertificate needs a tls+tcp:// survey URL (only its connections carry the member's certificate)", nameof(SurveyUrl));
        }
        if (Tls is not { ClientAuth: TlsAuthMode.Required, CaCertificates.Count: > 0 })
        {
            throw new ArgumentException("RequireServiceCertificate needs Tls with ClientAuth = Required and the cluster CA in CaCertificates", nameof(Tls));
        }
    }
}
