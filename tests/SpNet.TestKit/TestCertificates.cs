using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SpNet.TestKit;

/// <summary>
/// A throwaway CA and the certificates it issues, made in memory for TLS tests: RSA 2048, as Debian's mbedTLS-built NNG
/// accepts (CN=localhost with SAN DNS:localhost, no IP SANs). <see cref="WritePem"/> puts them in PEM files for nngcat.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        Server = server;
        Client = client;
    }

    /// <summary>The self-signed root, with its key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>CN=localhost, SAN DNS:localhost, server authentication, issued by <see cref="Ca"/>, with its key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>CN=spnet-client, client authentication, issued by <see cref="Ca"/>, with its key.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>A fresh CA named <paramref name="caName"/> with a server and a client certificate; <paramref name="serverName"/> goes in CN and SAN.</summary>
    public static TestCertificates Create(string caName = "SpNet Test CA", string serverName = "localhost", DateTimeOffset? notAfter = null)
    {
        DateTimeOffset from = DateTimeOffset.UtcNow.AddDays(-1);
        DateTimeOffset until = notAfter ?? DateTimeOffset.UtcNow.AddDays(30);
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        X509Certificate2 ca = Reimport(caRequest.CreateSelfSigned(from.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        X509Certificate2 server = Issue(ca, $"CN={serverName}", serverName, "1.3.6.1.5.5.7.3.1", from, until);
        X509Certificate2 client = Issue(ca, "CN=spnet-client", null, "1.3.6.1.5.5.7.3.2", from, until);
        return new TestCertificates(ca, server, client);
    }

    /// <summary>Issues another server certificate from <see cref="Ca"/>, naming <paramref name="dnsName"/> in CN and SAN (with its key; dispose it).</summary>
    public X509Certificate2 IssueServer(string dnsName) =>
        Issue(Ca, $"CN={dnsName}", dnsName, "1.3.6.1.5.5.7.3.1", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>
    /// Issues a cluster member's certificate from <see cref="Ca"/>, naming <paramref name="dnsName"/> in CN and SAN, for
    /// both server and client authentication: a member serves it on its listeners and offers it to the registries
    /// (a TLS server refuses a client certificate whose extended key usage lacks client authentication).
    /// </summary>
    public X509Certificate2 IssueMember(string dnsName) =>
        Issue(Ca, $"CN={dnsName}", dnsName, ["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>Options for a listener serving <see cref="Server"/>.</summary>
    public TlsOptions ServerOptions(TlsAuthMode clientAuth = TlsAuthMode.None) =>
        new() { Certificate = Server, CaCertificates = [Ca], ClientAuth = clientAuth };

    /// <summary>Options for a dialer that trusts <see cref="Ca"/> (and offers <see cref="Client"/> when asked).</summary>
    public TlsOptions ClientOptions(bool withClientCertificate = false) =>
        new() { CaCertificates = [Ca], Certificate = withClientCertificate ? Client : null };

    /// <summary>Writes <c>ca.pem</c>, <c>srv.pem</c>, <c>srv.key</c>, <c>cli.pem</c>, <c>cli.key</c> into <paramref name="directory"/>.</summary>
    public void WritePem(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "ca.pem"), Ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "srv.pem"), Server.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "srv.key"), Server.GetRSAPrivateKey()!.ExportRSAPrivateKeyPem());
        File.WriteAllText(Path.Combine(directory, "cli.pem"), Client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cli.key"), Client.GetRSAPrivateKey()!.ExportRSAPrivateKeyPem());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string? dnsName, string usageOid, DateTimeOffset from, DateTimeOffset until) =>
        Issue(ca, subject, dnsName, [usageOid], from, until);

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string? dnsName, string[] usageOids, DateTimeOffset from, DateTimeOffset until)
    {
        using RSA key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection();
        foreach (string oid in usageOids)
        {
            usages.Add(new Oid(oid));
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (dnsName is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(dnsName);
            request.CertificateExtensions.Add(san.Build());
        }
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7f;
        using X509Certificate2 issued = request.Create(ca, from, until, serial);
        return Reimport(issued.CopyWithPrivateKey(key));
    }

    /// <summary>Through PKCS#12 so the key outlives the RSA object and SslStream can use it.</summary>
    private static X509Certificate2 Reimport(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
