using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A REQ context (from <see cref="ReqSocket.OpenContext"/>): one request at a time with its own id, resend timer and
/// reply, sharing the socket's connections. Send a request, then receive its reply; a new request abandons the old.
/// </summary>
public sealed class ReqContext : SocketContext
{
    private static readonly Option<ReqContext, TimeSpan> s_resendTime = new(OptionNames.ReqResendTime, OptionKind.Timeout,
        c => c._req.ResendTime, (c, v) => c._req.ResendTime = v);

    /// <summary>A REQ context's options (NNG's req0 context table): the timeouts and the resend time.</summary>
    private static readonly OptionTable<ReqContext> s_options = CommonOptions.With(s_resendTime);

    private readonly Req.ReqContext _req;

    internal ReqContext(ReqSocket socket, Req.ReqContext req) : base(socket, req, s_options) => _req = req;

    /// <summary>
    /// This context's resend interval (NNG_OPT_REQ_RESENDTIME); starts as the socket's <see cref="ReqSocket.ResendTime"/>
    /// and changing it leaves the socket and other contexts alone. Zero or <see cref="Timeout.InfiniteTimeSpan"/>
    /// disables timed resends. Takes effect from the next request.
    /// </summary>
    public TimeSpan ResendTime
    {
        get => s_resendTime.Get(this);
        set => s_resendTime.Set(this, value);
    }
}
