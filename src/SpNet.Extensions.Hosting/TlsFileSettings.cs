namespace SpNet.Extensions.Hosting;

/// <summary>TLS for a configured socket, from PEM files (the same files nngcat's <c>--cert</c>, <c>--key</c> and <c>--cacert</c> take).</summary>
public sealed class TlsFileSettings
{
    /// <summary>This socket's certificate (PEM); required to listen.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM); null means it is in <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>CA certificates (PEM) the peer must chain to; null means the system trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>The name a dialer expects in the server's certificate; null means the URL's host.</summary>
    public string? ServerName { get; set; }

    /// <summary>Whether a listener asks for (Optional) or demands (Required) a client certificate.</summary>
    public TlsAuthMode ClientAuth { get; set; }

    /// <summary>Skips verifying the peer's certificate (tests only).</summary>
    public bool InsecureSkipVerify { get; set; }

    internal TlsOptions ToOptions()
    {
        TlsOptions options = CertificateFile is null
            ? new TlsOptions()
            : TlsOptions.FromPemFiles(CertificateFile, KeyFile ?? CertificateFile);
        if (CaFile is not null)
        {
            options.AddCaPemFile(CaFile);
        }
        options.ServerName = ServerName;
        options.ClientAuth = ClientAuth;
        options.InsecureSkipVerify = InsecureSkipVerify;
        return options;
    }
}
