namespace SpNet.Discovery;

/// <summary>Settings of a <see cref="ServiceClient"/>.</summary>
public sealed class ServiceClientOptions
{
    /// <summary>
    /// Our zone, or null (default) for no locality. When set, only members whose <c>meta.zone</c> equals it are
    /// dialed while any is alive; the others are dialed only when no local member is left.
    /// </summary>
    public string? Zone { get; set; }

    /// <summary>Resend a request whose reply has not come after this long (REQ resend time). Default 5 s.</summary>
    public TimeSpan ResendTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound for one <see cref="ServiceClient.RequestAsync"/> and for each broadcast exchange. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest redial wait of the member dialers. Default 500 ms.</summary>
    public TimeSpan ReconnectMaxTime { get; set; } = ServiceRegistration.DefaultReconnectMaxTime;
}
