namespace SpNet.Extensions.Hosting;

/// <summary>
/// One named socket, as bound from a configuration section (<c>SpNet:Sockets:&lt;name&gt;</c>) or set in code.
/// The host creates the socket, applies these settings, listens and dials when it starts, and disposes it when it stops.
/// </summary>
public sealed class SocketSettings
{
    /// <summary>The protocol, by NNG name: <c>pair</c> (PAIR0), <c>pair1</c>, <c>push</c>, <c>pull</c>, <c>pub</c>, <c>sub</c>, <c>req</c>, <c>rep</c>, <c>surveyor</c>, <c>respondent</c>, <c>bus</c> or <c>star</c>; a trailing <c>0</c> is accepted (<c>req0</c>).</summary>
    public string Protocol { get; set; } = "";

    /// <summary>Opens the raw (device-mode) variant of <see cref="Protocol"/>.</summary>
    public bool Raw { get; set; }

    /// <summary>Addresses to listen on when the host starts (bound at once; a failure stops the host naming the URL).</summary>
    public IList<string> Listen { get; } = [];

    /// <summary>Addresses to dial when the host starts, in the background: the host starts even when a peer is down, and the dialer keeps retrying.</summary>
    public IList<string> Dial { get; } = [];

    /// <summary>Prefixes a SUB socket subscribes to; empty means none (an empty string subscribes to everything).</summary>
    public IList<string> Subscribe { get; } = [];

    /// <summary>
    /// Options by NNG name (<see cref="OptionNames"/>), applied with <see cref="MessagePort.SetOption"/>. From configuration the
    /// values are text: <c>true</c>/<c>false</c> for flags, whole numbers (milliseconds for durations, -1 = infinite) or
    /// <c>hh:mm:ss.fff</c> for durations; anything else is passed as text.
    /// </summary>
    public IDictionary<string, string> Options { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>TLS files for <c>tls+tcp://</c> and <c>wss://</c>; null leaves <see cref="Socket.Tls"/> unset.</summary>
    public TlsFileSettings? Tls { get; set; }

    /// <summary>When true, the health check reports this socket Unhealthy while it has no connected peer.</summary>
    public bool ExpectPeers { get; set; }

    /// <summary>Runs after the settings above are applied and before listening: for what configuration cannot say (set in code only).</summary>
    public Action<Socket>? Configure { get; set; }
}
