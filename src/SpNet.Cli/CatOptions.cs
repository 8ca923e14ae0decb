namespace SpNet.Cli;

/// <summary>Everything spcat's command line says, after parsing and before the socket opens.</summary>
public sealed class CatOptions
{
    /// <summary>The protocol flag, or <see cref="CatProtocol.None"/>.</summary>
    public CatProtocol Protocol { get; set; }

    /// <summary>True when --pair (no version) was given: nngcat leaves the protocol unset; spcat maps it to PAIR0.</summary>
    public bool PairAlias { get; set; }

    /// <summary>Addresses to dial or listen on, in order.</summary>
    public List<CatAddress> Addresses { get; } = [];

    /// <summary>Topics from --subscribe, in order.</summary>
    public List<string> Subscriptions { get; } = [];

    /// <summary>Payload from --data or --file; null when neither was given.</summary>
    public byte[]? Data { get; set; }

    /// <summary>--count: messages to send or receive; 0 means unlimited.</summary>
    public int Count { get; set; }

    /// <summary>--interval between sends; null means send once (nngcat's infinite interval).</summary>
    public TimeSpan? Interval { get; set; }

    /// <summary>--delay before the first send.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>--recv-timeout; null (or zero on the command line) means wait forever.</summary>
    public TimeSpan? ReceiveTimeout { get; set; }

    /// <summary>--send-timeout; null (or zero on the command line) means wait forever.</summary>
    public TimeSpan? SendTimeout { get; set; }

    /// <summary>--recv-maxsz in bytes; null keeps the socket default.</summary>
    public long? ReceiveMaxSize { get; set; }

    /// <summary>The output format flag.</summary>
    public OutputFormat Format { get; set; }

    /// <summary>True after --verbose (the last of --verbose/--silent wins).</summary>
    public bool Verbose { get; set; }

    /// <summary>--async: dial in the background instead of waiting for the first connection.</summary>
    public bool Async { get; set; }

    /// <summary>--compat: nanocat compatibility (implies --async, maps --pair to PAIR0).</summary>
    public bool Compat { get; set; }

    /// <summary>--stats (spcat extension): print the socket's pipe and message counters on standard error at exit.</summary>
    public bool Stats { get; set; }

    /// <summary>--pipe-events (spcat extension): print a line on standard error each time a pipe is added or removed.</summary>
    public bool PipeEvents { get; set; }

    /// <summary>
    /// The TCP settings of --tcp-keepalive (NNG's tcp-keepalive option; implied by the three tuning flags),
    /// --tcp-keepalive-time S, --tcp-keepalive-interval S, --tcp-keepalive-count N and --tcp-user-timeout S (spcat
    /// extensions; Linux TCP_USER_TIMEOUT); what is not given keeps the socket's default.
    /// </summary>
    public TcpOptions Tcp { get; } = new();

    /// <summary>True when a TLS or ZeroTier option was given (ZeroTier is accepted and ignored).</summary>
    public bool HasTlsOptions { get; set; }

    /// <summary>--cert/-E: our own certificate (PEM), for a tls+tcp listener or a client certificate; null when not given.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>--key: the private key (PEM) of --cert; null means the key sits in the --cert file, as nngcat assumes.</summary>
    public string? KeyPath { get; set; }

    /// <summary>--cacert: CA certificates (PEM) the peer must chain to; null means the system trust store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>--insecure/-k: do not verify the peer's certificate.</summary>
    public bool Insecure { get; set; }
}
