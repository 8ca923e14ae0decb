using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SpNet.Bench.Memory;

/// <summary>A throwaway self-signed certificate for 127.0.0.1/localhost, as PEM files a listening nngcat or spcat loads.</summary>
internal sealed class PemCertificate : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spbench-tls-").FullName;

    /// <summary>Creates the certificate (ECDSA P-256, valid for a day) and writes its files.</summary>
    public PemCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePath = Path.Combine(_directory, "cert.pem");
        KeyPath = Path.Combine(_directory, "key.pem");
        File.WriteAllText(CertificatePath, certificate.ExportCertificatePem());
        Thumbprint = certificate.Thumbprint;
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>The certificate, PEM.</summary>
    public string CertificatePath { get; }

    /// <summary>The certificate's SHA-1 thumbprint (hex), which clients pin.</summary>
    public string Thumbprint { get; }

    /// <summary>Its private key, PKCS#8 PEM.</summary>
    public string KeyPath { get; }

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
