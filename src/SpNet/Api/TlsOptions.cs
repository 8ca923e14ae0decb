using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace SpNet;

/// <summary>
/// TLS settings for <c>tls+tcp://</c> (and <c>wss://</c>), set on a socket through <see cref="Socket.Tls"/> before dialing or
/// listening. A listener needs <see cref="Certificate"/>; a dialer verifies the server against <see cref="CaCertificates"/>
/// (or the system trust store) and the server name, as NNG does by default.
/// </summary>
/// <remarks>
/// Read when each dialer or listener is made, and again at each connection: change it only before dialing or listening.
/// Not thread-safe to modify while in use.
/// </remarks>
public sealed class TlsOptions
{
    /// <summary>
    /// Our own certificate with its private key: required on a listener (the server certificate); on a dialer it is the
    /// client certificate offered for mutual TLS. Default null.
    /// </summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// Certificates trusted as roots when verifying the peer (NNG's <c>--cacert</c>); when null or empty, the system trust store
    /// is used. Default null.
    /// </summary>
    public X509Certificate2Collection? CaCertificates { get; set; }

    /// <summary>
    /// The name a dialer sends as SNI and expects in the server certificate; null (the default) takes the host from the URL.
    /// </summary>
    public string? ServerName { get; set; }

    /// <summary>Whether a listener asks for and checks client certificates. Default <see cref="TlsAuthMode.None"/>, as NNG.</summary>
    public TlsAuthMode ClientAuth { get; set; }

    /// <summary>
    /// When true, a dialer accepts any server certificate (no chain or name check; nngcat's <c>--insecure</c>). Default false.
    /// Use only for tests: it defeats the point of TLS.
    /// </summary>
    public bool InsecureSkipVerify { get; set; }

    /// <summary>TLS versions allowed; <see cref="SslProtocols.None"/> (the default) lets the system choose (TLS 1.2 and 1.3).</summary>
    public SslProtocols Protocols { get; set; } = SslProtocols.None;

    /// <summary>
    /// Loads a certificate and its private key from PEM files (as nngcat's <c>--cert</c> and <c>--key</c>; the key may also sit in
    /// the certificate file, then pass the same path twice). Throws <see cref="SpNetException"/> (<see cref="SpError.Crypto"/>)
    /// naming the file when either cannot be read.
    /// </summary>
    public static TlsOptions FromPemFiles(string certificatePath, string keyPath) =>
        new() { Certificate = LoadCertificateWithKey(certificatePath, keyPath) };

    /// <summary>
    /// Reads every PEM certificate in <paramref name="path"/> into <see cref="CaCertificates"/> (adding to those already
    /// there) and returns this instance. Throws <see cref="SpNetException"/> (<see cref="SpError.Crypto"/>) when the file has none.
    /// </summary>
    public TlsOptions AddCaPemFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var found = new X509Certificate2Collection();
        try
        {
            found.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new SpNetException(SpError.Crypto, $"cannot read CA certificates from '{path}': {ex.Message}", ex);
        }
        if (found.Count == 0)
        {
            throw new SpNetException(SpError.Crypto, $"'{path}' holds no PEM certificate");
        }
        CaCertificates ??= [];
        CaCertificates.AddRange(found);
        return this;
    }

    /// <summary>
    /// Loads a PEM certificate and key, then re-imports them through PKCS#12 so the key is usable by <see cref="System.Net.Security.SslStream"/>
    /// on every platform (PEM-loaded keys are ephemeral).
    /// </summary>
    internal static X509Certificate2 LoadCertificateWithKey(string certificatePath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificatePath);
        ArgumentNullException.ThrowIfNull(keyPath);
        try
        {
            using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new SpNetException(SpError.Crypto, $"cannot load certificate '{certificatePath}' with key '{keyPath}': {ex.Message}", ex);
        }
    }
}
