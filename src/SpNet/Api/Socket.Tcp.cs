using SpNet.Transports.Tcp;

namespace SpNet;

// TCP keepalive and user timeout: how a pipe across a silently cut network finds out.
public abstract partial class Socket
{
    /// <summary>Linux's limit for TCP_KEEPIDLE and TCP_KEEPINTVL (MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL), in seconds.</summary>
    private const int MaxKeepAliveSeconds = 32767;

    /// <summary>Linux's limit for TCP_KEEPCNT (MAX_TCP_KEEPCNT).</summary>
    private const int MaxKeepAliveRetryCount = 127;

    private readonly Lock _tcpGate = new();
    private bool _tcpKeepAlive;
    private TimeSpan _tcpKeepAliveTime;
    private TimeSpan _tcpKeepAliveInterval;
    private int _tcpKeepAliveRetryCount;
    private TimeSpan _tcpUserTimeout;

    /// <summary>
    /// Turns on TCP keepalive (SO_KEEPALIVE; NNG_OPT_TCP_KEEPALIVE, option name <c>tcp-keepalive</c>) for the TCP
    /// connections of tcp://, tls+tcp://, ws:// and wss:// dialers and listeners made afterwards. Default off, as NNG.
    /// </summary>
    /// <remarks>
    /// Keepalive probes go out only while the connection is idle with nothing unacknowledged; they detect a peer or
    /// path that vanished while neither side had anything to say, after <see cref="TcpKeepAliveTime"/> +
    /// <see cref="TcpKeepAliveInterval"/> × <see cref="TcpKeepAliveRetryCount"/>. With the OS defaults (Linux: 7,200 s,
    /// 75 s, 9) that is over two hours, so set the tuning too. While data waits to be acknowledged, TCP retransmits
    /// instead and no probe is sent: bound that case with <see cref="TcpUserTimeout"/>. Either way the pipe closes,
    /// the protocol stops using it, and a dialer redials.
    /// </remarks>
    public bool TcpKeepAlive
    {
        get { lock (_tcpGate) { return _tcpKeepAlive; } }
        set { lock (_tcpGate) { _tcpKeepAlive = value; } }
    }

    /// <summary>
    /// Idle time before the first keepalive probe (TCP_KEEPIDLE; <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveTime"/>).
    /// Used only with <see cref="TcpKeepAlive"/> on. Whole seconds from 1 to 32,767, or zero (the default) for the OS
    /// default (Linux: 7,200 s). Applies to dialers and listeners made afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, over 32,767 s, or not a whole number of seconds (the OS counts in seconds).</exception>
    public TimeSpan TcpKeepAliveTime
    {
        get { lock (_tcpGate) { return _tcpKeepAliveTime; } }
        set
        {
            CheckKeepAliveSeconds(value);
            lock (_tcpGate)
            {
                _tcpKeepAliveTime = value;
            }
        }
    }

    /// <summary>
    /// Time between unanswered keepalive probes (TCP_KEEPINTVL; <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveInterval"/>).
    /// Used only with <see cref="TcpKeepAlive"/> on. Whole seconds from 1 to 32,767, or zero (the default) for the OS
    /// default (Linux: 75 s). Applies to dialers and listeners made afterwards.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, over 32,767 s, or not a whole number of seconds.</exception>
    public TimeSpan TcpKeepAliveInterval
    {
        get { lock (_tcpGate) { return _tcpKeepAliveInterval; } }
        set
        {
            CheckKeepAliveSeconds(value);
            lock (_tcpGate)
            {
                _tcpKeepAliveInterval = value;
            }
        }
    }

    /// <summary>
    /// Unanswered keepalive probes before the connection is dropped (TCP_KEEPCNT;
    /// <see cref="System.Net.Sockets.SocketOptionName.TcpKeepAliveRetryCount"/>). Used only with <see cref="TcpKeepAlive"/>
    /// on. 1 to 127, or zero (the default) for the OS default (Linux: 9). Applies to dialers and listeners made afterwards.
    /// Where the OS lacks this option (Windows before 10 version 1703), it keeps its own count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative or over 127.</exception>
    public int TcpKeepAliveRetryCount
    {
        get { lock (_tcpGate) { return _tcpKeepAliveRetryCount; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxKeepAliveRetryCount);
            lock (_tcpGate)
            {
                _tcpKeepAliveRetryCount = value;
            }
        }
    }

    /// <summary>
    /// How long sent data may stay unacknowledged before the connection is dropped (Linux TCP_USER_TIMEOUT, RFC 5482),
    /// for the TCP connections of tcp://, tls+tcp://, ws:// and wss:// dialers and listeners made afterwards; on a dialed
    /// connection it also bounds the connect. Zero (the default) keeps the OS behaviour: Linux retransmits for about 15
    /// minutes (<c>tcp_retries2</c>). Works with or without <see cref="TcpKeepAlive"/>; with both on, Linux also ends
    /// keepalive probing at this time. Rounded up to whole milliseconds.
    /// </summary>
    /// <remarks>
    /// Linux only. Elsewhere the value is kept (and read back) but not applied: Windows and macOS have no
    /// equivalent that .NET exposes as a socket option, so the OS's own retransmission limit stays in force there.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or over <see cref="int.MaxValue"/> milliseconds (the kernel's limit).</exception>
    public TimeSpan TcpUserTimeout
    {
        get { lock (_tcpGate) { return _tcpUserTimeout; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue));
            lock (_tcpGate)
            {
                _tcpUserTimeout = value;
            }
        }
    }

    /// <summary>The TCP settings as they are now, for a dialer or listener being made.</summary>
    private TcpTuning CaptureTcpTuning()
    {
        lock (_tcpGate)
        {
            return new TcpTuning(_tcpKeepAlive, _tcpKeepAliveTime, _tcpKeepAliveInterval, _tcpKeepAliveRetryCount, _tcpUserTimeout);
        }
    }

    private static void CheckKeepAliveSeconds(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromSeconds(MaxKeepAliveSeconds));
        if (value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "keepalive times are whole seconds (the OS counts in seconds)");
        }
    }
}
