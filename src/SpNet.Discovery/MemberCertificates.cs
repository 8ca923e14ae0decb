using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// The registry's cluster mode (<see cref="RegistryOptions.RequireServiceCertificate"/>): remembers the certificate
/// each survey connection presented and lets an answer through only when that certificate names the service it
/// announces (for a topic publisher, listed under <see cref="ServiceMeta.TopicsService"/>, the name it announces in
/// <see cref="ServiceMeta.TlsName"/>, which subscribers then expect). The chain to the cluster CA was already
/// checked by the TLS handshake. Pipe events may come from any thread; <see cref="Check"/> runs on the survey loop.
/// </summary>
internal sealed partial class MemberCertificates
{
    private readonly ConcurrentDictionary<uint, X509Certificate2?> _byPipe = new();
    private readonly HashSet<(uint Pipe, string Service)> _logged = [];
    private readonly RegistryOptions _options;
    private readonly RegistryStatistics _statistics;

    public MemberCertificates(SurveyorSocket surveyor, RegistryOptions options, RegistryStatistics statistics)
    {
        _options = options;
        _statistics = statistics;
        surveyor.PipeAdded += (_, e) => _byPipe[e.PipeId] = e.RemoteCertificate;
        surveyor.PipeRemoved += (_, e) => _byPipe.TryRemove(e.PipeId, out X509Certificate2? _);
    }

    /// <summary>
    /// True when <paramref name="member"/>, answered on <paramref name="pipe"/>, may be offered to the member table.
    /// A refusal is counted and logged (once per connection and service, so a member refused every round does not
    /// flood the log).
    /// </summary>
    public bool Check(uint pipe, ServiceMember member)
    {
        if (!_byPipe.TryGetValue(pipe, out X509Certificate2? certificate))
        {
            // The answer overtook the pipe's PipeAdded event (raised just after the pipe starts): not refused, only
            // not taken this round; the next survey finds the pipe known.
            return false;
        }
        string name = NameToCheck(member);
        if (certificate is not null && Names(certificate, name))
        {
            return true;
        }
        _statistics.CertificateMismatch();
        if (_options.Logger is { } logger && _logged.Add((pipe, member.Service)))
        {
            LogRefused(logger, _options.SurveyUrl, member.Service, member.Address, certificate?.Subject ?? "none", name);
        }
        return false;
    }

    /// <summary>Forgets the log marks of closed connections (called once a round, on the survey loop).</summary>
    public void EndRound() => _logged.RemoveWhere(mark => !_byPipe.ContainsKey(mark.Pipe));

    private static string NameToCheck(ServiceMember member) =>
        member.Service == ServiceMeta.TopicsService ? member.Meta.GetValueOrDefault(ServiceMeta.TlsName) ?? member.Service : member.Service;

    /// <summary>The certificate names <paramref name="name"/> as a TLS client would check it: SAN DNS (wildcards allowed), else CN.</summary>
    private static bool Names(X509Certificate2 certificate, string name)
    {
        try
        {
            return certificate.MatchesHostname(name);
        }
        catch (ArgumentException)
        {
            return false; // not a host name (e.g. "a b"): no certificate can name it
        }
    }

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "discovery registry {SurveyUrl}: refused {Service} member {Address}: the connection's certificate ({Subject}) does not name '{Name}' (RegistryOptions.RequireServiceCertificate)")]
    private static partial void LogRefused(ILogger logger, string surveyUrl, string service, string address, string subject, string name);
}
