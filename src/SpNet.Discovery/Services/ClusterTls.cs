namespace SpNet.Discovery;

/// <summary>
/// Per-cluster keys: the TLS settings a client uses towards one service. The expected server name is the service name,
/// so a member is accepted only when its certificate chains to the cluster CA and names the service (SAN DNS or CN);
/// any other certificate fails the handshake, counted in the socket's <see cref="SocketStatistics.HandshakeFailures"/>.
/// </summary>
internal static class ClusterTls
{
    public static TlsOptions? For(TlsOptions? cluster, string expectedName) => cluster is null ? null : new TlsOptions
    {
        Certificate = cluster.Certificate,
        CaCertificates = cluster.CaCertificates,
        ServerName = expectedName,
        Protocols = cluster.Protocols,
        InsecureSkipVerify = cluster.InsecureSkipVerify,
    };

    /// <summary>The DNS name (SAN, else CN) our certificate carries, which peers expect when they dial us; null without TLS.</summary>
    public static string? NameOf(TlsOptions? tls) =>
        tls?.Certificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.DnsName, forIssuer: false);
}
