using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SpNet.Transports.Tls;

/// <summary>
/// Wraps a connected byte stream in TLS for either end (used by tls+tcp and wss). The handshake is bounded by a timeout,
/// and each failure becomes an <see cref="SpNetException"/> naming the URL and the cause: <see cref="SpError.PeerAuth"/> when a
/// certificate was refused (untrusted root, name mismatch, expired, missing client certificate), <see cref="SpError.Crypto"/>
/// for any other handshake failure, <see cref="SpError.TimedOut"/> when it took too long.
/// </summary>
internal static class TlsStreamFactory
{
    private static readonly TlsOptions s_clientDefaults = new();

    /// <summary>Authenticates as the client of <paramref name="host"/> (or <see cref="TlsOptions.ServerName"/>); disposes <paramref name="inner"/> on failure.</summary>
    public static async ValueTask<SslStream> AuthenticateAsClientAsync(Stream inner, string url, string host, TlsOptions? options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        options ??= s_clientDefaults;
        string serverName = options.ServerName ?? host;
        var verdict = new Verdict();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            EnabledSslProtocols = options.Protocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = ChainPolicy(options),
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                options.InsecureSkipVerify || verdict.Accept(certificate, chain, errors, required: true, $"the server certificate for '{serverName}'"),
        };
        if (options.Certificate is not null)
        {
            authentication.ClientCertificates = [options.Certificate];
        }
        await RunAsync(ssl, verdict, url, "server", timeout, ct => ssl.AuthenticateAsClientAsync(authentication, ct), cancellationToken).ConfigureAwait(false);
        return ssl;
    }

    /// <summary>Authenticates as a server with <see cref="TlsOptions.Certificate"/>; disposes <paramref name="inner"/> on failure.</summary>
    public static async ValueTask<SslStream> AuthenticateAsServerAsync(Stream inner, string url, TlsOptions options, TimeSpan timeout, CancellationToken cancellationToken)
    {
        X509Certificate2 certificate = RequireServerCertificate(options, url);
        var verdict = new Verdict();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        bool required = options.ClientAuth == TlsAuthMode.Required;
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificate = certificate,
            EnabledSslProtocols = options.Protocols,
            ClientCertificateRequired = options.ClientAuth != TlsAuthMode.None,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = ChainPolicy(options),
            RemoteCertificateValidationCallback = (_, peer, chain, errors) =>
                options.ClientAuth == TlsAuthMode.None || verdict.Accept(peer, chain, errors, required, "the client certificate"),
        };
        await RunAsync(ssl, verdict, url, "client", timeout, ct => ssl.AuthenticateAsServerAsync(authentication, ct), cancellationToken).ConfigureAwait(false);
        return ssl;
    }

    /// <summary>The listener's certificate, or <see cref="SpError.Crypto"/> naming the URL when none is set or it has no private key.</summary>
    public static X509Certificate2 RequireServerCertificate(TlsOptions? options, string url)
    {
        X509Certificate2? certificate = options?.Certificate;
        if (certificate is null)
        {
            throw new SpNetException(SpError.Crypto, $"{url}: a TLS listener needs a certificate (set Socket.Tls, e.g. TlsOptions.FromPemFiles)");
        }
        if (!certificate.HasPrivateKey)
        {
            throw new SpNetException(SpError.Crypto, $"{url}: the TLS certificate '{certificate.Subject}' has no private key");
        }
        return certificate;
    }

    private static X509ChainPolicy? ChainPolicy(TlsOptions options)
    {
        if (options.CaCertificates is not { Count: > 0 } roots)
        {
            return null; // the system trust store
        }
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    private static async ValueTask RunAsync(SslStream ssl, Verdict verdict, string url, string peerRole, TimeSpan timeout, Func<CancellationToken, Task> handshake, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await handshake(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            if (ex is OperationCanceledException)
            {
                throw new SpNetException(SpError.TimedOut, $"{url}: TLS handshake did not finish within {timeout.TotalSeconds:0.###} s", ex);
            }
            if (verdict.Refusal is string refusal)
            {
                throw new SpNetException(SpError.PeerAuth, $"{url}: TLS: {refusal}", ex);
            }
            if (ex is AuthenticationException or IOException or System.ComponentModel.Win32Exception)
            {
                throw new SpNetException(SpError.Crypto, $"{url}: TLS handshake with the {peerRole} failed: {Describe(ex)}", ex);
            }
            throw;
        }
    }

    private static string Describe(Exception ex)
    {
        var text = new StringBuilder(ex.Message);
        for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.Message).Append(')');
        }
        return text.ToString();
    }

    /// <summary>Decides on the peer's certificate and remembers why it was refused.</summary>
    private sealed class Verdict
    {
        public string? Refusal { get; private set; }

        public bool Accept(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, bool required, string what)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }
            if ((errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
            {
                if (!required)
                {
                    return true;
                }
                Refusal = $"{what} is missing (the peer sent none, and one is required)";
                return false;
            }
            var causes = new List<string>();
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                causes.Add("name mismatch");
            }
            if ((errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                foreach (X509ChainStatus status in chain?.ChainStatus ?? [])
                {
                    string cause = status.Status switch
                    {
                        X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "untrusted root (not issued by a trusted CA)",
                        X509ChainStatusFlags.NotTimeValid => "expired or not yet valid",
                        X509ChainStatusFlags.Revoked => "revoked",
                        X509ChainStatusFlags.NotSignatureValid => "bad signature",
                        _ => status.StatusInformation.Trim(),
                    };
                    if (cause.Length > 0 && !causes.Contains(cause))
                    {
                        causes.Add(cause);
                    }
                }
                if (causes.Count == 0)
                {
                    causes.Add("certificate chain not trusted");
                }
            }
            string subject = certificate?.Subject is { Length: > 0 } s ? $" ('{s}')" : "";
            Refusal = $"{what}{subject} was refused: {string.Join(", ", causes)}";
            return false;
        }
    }
}
