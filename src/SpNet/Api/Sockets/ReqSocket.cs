using SpNet.Protocols;
using SpNet.Protocols.Raw;

namespace SpNet;

/// <summary>
/// REQ (0x30): sends a request and receives its reply. One request is outstanding at a time per context: sending a
/// new one abandons the previous (its reply, if it comes, is dropped). The request is resent after
/// <see cref="ResendTime"/> without a reply, and at once if the connection that carried it dies. Receiving before
/// sending a request fails with <see cref="SpError.IncorrectState"/>. Use <see cref="OpenContext"/> for many requests
/// in flight at once, or <see cref="CreateRaw"/> for device mode.
/// </summary>
public sealed class ReqSocket : Socket
{
    private readonly Req? _req;
    private readonly XReq? _raw;

    /// <summary>Creates an unconnected REQ socket.</summary>
    public ReqSocket() : this(new SocketStatistics())
    {
    }

    private ReqSocket(SocketStatistics statistics) : this(new Req(statistics), statistics)
    {
    }

    private ReqSocket(Req req, SocketStatistics statistics) : base(req, statistics) => _req = req;

    private ReqSocket(XReq raw, SocketStatistics statistics) : base(raw, statistics) => _raw = raw;

    /// <summary>
    /// Creates a raw REQ socket (device mode): no request ids, no resends; what you send goes out as header plus body
    /// to one peer, and a reply's routing tags (up to the bit-31 id) are its <see cref="Message.Header"/>.
    /// </summary>
    public static ReqSocket CreateRaw()
    {
        var statistics = new SocketStatistics();
        return new ReqSocket(new XReq(statistics, DefaultReceiveBufferSize), statistics);
    }

    /// <summary>
    /// How long to wait for a reply before sending the request again (NNG_OPT_REQ_RESENDTIME). Default 1 minute, as
    /// NNG; zero or <see cref="Timeout.InfiniteTimeSpan"/> disables timed resends (a request is still resent when its
    /// connection dies). Takes effect from the next request; new contexts start with this value.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket.</exception>
    public TimeSpan ResendTime
    {
        get => Cooked.ResendTime;
        set => Cooked.ResendTime = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value), "zero (disabled), positive or infinite");
    }

    /// <summary>Most routing hops a reply may carry on a raw socket (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => _raw?.MaxTtl ?? _maxTtl;
        set
        {
            _maxTtl = Protocols.Routing.Backtrace.CheckTtl(value);
            if (_raw is not null)
            {
                _raw.MaxTtl = value;
            }
        }
    }

    private int _maxTtl = Protocols.Routing.Backtrace.DefaultMaxTtl;

    /// <summary>Opens an independent request context (own id, resend timer and reply) sharing this socket's connections.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket; <see cref="SpError.Closed"/>.</exception>
    public ReqContext OpenContext() => new(this, (Req.ReqContext)OpenContextCore());

    private Req Cooked => _req ?? throw new SpNetException(SpError.NotSupported, "raw REQ sockets have no resend time");
}
