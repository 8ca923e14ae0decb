namespace SpNet;

/// <summary>
/// TCP settings for the TCP connections of <c>tcp://</c>, <c>tls+tcp://</c>, <c>ws://</c> and <c>wss://</c>, set on a socket
/// through <see cref="Socket.Tcp"/> (beside <see cref="Socket.Tls"/>): how a pipe across a silently cut network finds
/// out (keepalive, user timeout) and whether small messages wait to be coalesced (no-delay). The transports apply them
/// to every connection they dial or accept. Zero values leave the operating system's own setting in place.
/// </summary>
/// <remarks>
/// A dialer or listener takes a copy when it is made: change the settings before dialing or listening. Each property
/// is safe to set from any thread; a dialer made meanwhile sees each property either before or after.
/// </remarks>
public sealed class TcpOptions
{
    /// <summary>Linux's limit for TCP_KEEPIDLE and TCP_KEEPINTVL (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL), in seconds.</summary>
    public const int MaxKeepAliveSeconds = 32767;

    /// <summary>Linux's limit for TCP_KEEPCNT (MAX_TCP_KEEPCNT).</summary>
    public const int MaxKeepAliveRetryCount = 127;

    private TimeSpan _keepAliveTime;
    private TimeSpan _keepAliveInterval;
    private int _keepAliveRetryCount;
    private TimeSpan _userTimeout;

    /// <summary>
    /// Turns on TCP keepalive (SO_KEEPALIVE; NNG_OPT_TCP_KEEPALIVE, option name <c>tcp-keepalive</c>). Default off, as NNG.
    /// </summary>
    /// <remarks>
    /// Keepalive probes go out only while the connection is idle with nothing unacknowledged; they detect a peer or
    /// path that vanished while neither side had anything to say, after <see cref="KeepAliveTime"/> +
    /// <see cref="KeepAliveInterval"/> × <see cref="KeepAliveRetryCount"/>. With the OS defaults (Linux: 7,200 s,
    /// 75 s, 9) that is over two hours, so set the tuning too. While data waits to be acknowledged, TCP retransmits
    /// instead and no probe is sent: bound that case with <see cref="UserTimeout"/>. Either way the pipe closes,
    /// the protocol stops using it, and a dialer redials.
    /// </remarks>
    public bool KeepAlive { get; set; }

    /// <summary>
    /// Sends small messages at once instead of coalescing them (TCP_NODELAY; NNG_OPT_TCP_NODELAY, option name
    /// <c>tcp-nodelay</c>). Default on, as NNG: SP messages are whole units a peer waits for.
    /// </summary>
    public bool NoDelay { get; set; } = true;

    /// <summary>
    /// Idle time before the first keepalive probe (TCP_KEEPIDLE; <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveTime"/>).
    /// Used only with <see cref="KeepAlive"/> on. Whole seconds from 1 to 32,767, or zero (the default) for the OS
    /// default (Linux: 7,200 s).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, over 32,767 s, or not a whole number of seconds (the OS counts in seconds).</exception>
    public TimeSpan KeepAliveTime { get => _keepAliveTime; set => _keepAliveTime = CheckKeepAliveSeconds(value); }

    /// <summary>
    /// Time between unanswered keepalive probes (TCP_KEEPINTVL; <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveInterval"/>).
    /// Used only with <see cref="KeepAlive"/> on. Whole seconds from 1 to 32,767, or zero (the default) for the OS
    /// default (Linux: 75 s).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, over 32,767 s, or not a whole number of seconds.</exception>
    public TimeSpan KeepAliveInterval { get => _keepAliveInterval; set => _keepAliveInterval = CheckKeepAliveSeconds(value); }

    /// <summary>
    /// Unanswered keepalive probes before the connection is dropped (TCP_KEEPCNT;
    /// <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveRetryCount"/>). Used only with <see cref="KeepAlive"/>
    /// on. 1 to 127, or zero (the default) for the OS default (Linux: 9). Where the OS lacks this option (Windows
    /// before 10 version 1703), it keeps its own count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or over 127.</exception>
    public int KeepAliveRetryCount
    {
        get => _keepAliveRetryCount;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxKeepAliveRetryCount);
            _keepAliveRetryCount = value;
        }
    }

    /// <summary>
    /// How long sent data may stay unacknowledged before the connection is dropped (Linux TCP_USER_TIMEOUT, RFC 5482);
    /// on a dialed connection it also bounds the connect. Zero (the default) keeps the OS behaviour: Linux retransmits
    /// for about 15 minutes (<c>tcp_retries2</c>). Works with or without <see cref="KeepAlive"/>; with both on, Linux
    /// also ends keepalive probing at this time. Rounded up to whole milliseconds.
    /// </summary>
    /// <remarks>
    /// Linux only. Elsewhere the value is kept (and read back) but not applied: Windows and macOS have no
    /// equivalent that .NET exposes as a socket option, so the OS's own retransmission limit stays in force there.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or over <see cref="int.MaxValue"/> milliseconds (the kernel's limit).</exception>
    public TimeSpan UserTimeout
    {
        get => _userTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue));
            _userTimeout = value;
        }
    }

    /// <summary>A copy, taken by a dialer or listener when it is made so later changes reach only later ones.</summary>
    internal TcpOptions Clone() => (TcpOptions)MemberwiseClone();

    private static TimeSpan CheckKeepAliveSeconds(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromSeconds(MaxKeepAliveSeconds));
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "keepalive times are whole seconds (the OS counts in seconds)");
        }
        return value;
    }
}
