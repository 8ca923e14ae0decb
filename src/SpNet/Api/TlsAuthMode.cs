namespace SpNet;

/// <summary>Whether a TLS listener asks its peers for a certificate (NNG's <c>nng_tls_auth_mode</c> on the server side).</summary>
public enum TlsAuthMode
{
    /// <summary>Ask for no client certificate (NNG_TLS_AUTH_MODE_NONE, NNG's listener default).</summary>
    None = 0,

    /// <summary>Ask for a client certificate; verify it when sent, accept clients that send none (NNG_TLS_AUTH_MODE_OPTIONAL).</summary>
    Optional = 1,

    /// <summary>Require a client certificate that verifies against <see cref="TlsOptions.CaCertificates"/> (mutual TLS, NNG_TLS_AUTH_MODE_REQUIRED).</summary>
    Required = 2,
}
