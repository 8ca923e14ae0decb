using SpNet.Options;
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
    private static readonly Option<ReqSocket, TimeSpan> s_resendTime = new(OptionNames.ReqResendTime, OptionKind.Timeout,
        s => s.CookedProtocol<Req>().ResendTime, (s, v) => s.CookedProtocol<Req>().ResendTime = v);

    private static readonly Option<ReqSocket, int> s_maxTtl = MaxTtlOption<ReqSocket>(OptionKind.Ttl);

    /// <summary>REQ's options (NNG's req0 and xreq0 tables in one): the common ones, resend time and hop limit.</summary>
    private static readonly OptionTable<ReqSocket> s_options = CommonOptions.With(s_resendTime, s_maxTtl);

    /// <summary>Creates an unconnected REQ socket.</summary>
    public ReqSocket() : this(raw: false)
    {
    }

    private ReqSocket(bool raw) : base(statistics => raw ? new XReq(statistics, DefaultReceiveBufferSize) : new Req(statistics), s_options)
    {
    }

    /// <summary>
    /// Creates a raw REQ socket (device mode): no request ids, no resends; what you send goes out as header plus body
    /// to one peer, and a reply's routing tags (up to the bit-31 id) are its <see cref="Message.Header"/>.
    /// </summary>
    public static ReqSocket CreateRaw() => new(raw: true);

    /// <summary>
    /// How long to wait for a reply before sending the request again (NNG_OPT_REQ_RESENDTIME). Default 1 minute, as
    /// NNG; zero or <see cref="Timeout.InfiniteTimeSpan"/> disables timed resends (a request is still resent when its
    /// connection dies). Takes effect from the next request; new contexts start with this value.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket.</exception>
    public TimeSpan ResendTime
    {
        get => s_resendTime.Get(this);
        set => s_resendTime.Set(this, value);
    }

    /// <summary>
    /// Most routing hops a reply may carry on a raw socket (NNG_OPT_MAXTTL, 1–15, default 8). A cooked socket keeps and
    /// reports it, as NNG's does, but its replies arrive with their routing already taken off, so it limits nothing there.
    /// </summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }

    /// <summary>Opens an independent request context (own id, resend timer and reply) sharing this socket's connections.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket; <see cref="SpError.Closed"/>.</exception>
    public ReqContext OpenContext() => new(this, (Req.ReqContext)OpenContextCore());

}
