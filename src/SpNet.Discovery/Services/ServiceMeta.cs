namespace SpNet.Discovery;

/// <summary>
/// The metadata keys a <see cref="ServiceHost"/> announces besides its request address (the member's
/// <see cref="ServiceMember.Address"/>), and the reserved service name under which topic publishers are listed.
/// Keys start with <c>sp.</c> so they cannot clash with application metadata such as <c>zone</c>.
/// </summary>
public static class ServiceMeta
{
    /// <summary>The SUB address where the host receives broadcasts (clients' PUB sockets dial it).</summary>
    public const string Broadcast = "sp.broadcast";

    /// <summary>The RESPONDENT address where the host answers gathers (clients' SURVEYOR sockets dial it).</summary>
    public const string Gather = "sp.gather";

    /// <summary>The polyamorous PAIR1 address where the host accepts tunnels.</summary>
    public const string Tunnel = "sp.tunnel";

    /// <summary>
    /// Present (value <c>1</c>) when the member's replies carry a status byte (0 = reply, 1 = error text): every
    /// <see cref="ServiceHost"/> sets it; a plain REP member does not, and its replies are taken as they are.
    /// </summary>
    public const string Status = "sp.status";

    /// <summary>On a topic publisher's listing: the name its TLS certificate carries (subscribers check it).</summary>
    public const string TlsName = "sp.tls-name";

    /// <summary>The reserved service name under which every node's topic PUB socket is listed.</summary>
    public const string TopicsService = "sp.topics";
}
