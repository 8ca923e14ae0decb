using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A REQ context (from <see cref="ReqSocket.OpenContext"/>): one request at a time with its own id, resend timer and
/// reply, sharing the socket's connections. Send a request, then receive its reply; a new request abandons the old.
/// </summary>
public sealed class ReqContext : SocketContext
{
    private readonly Req.ReqContext _req;

    internal ReqContext(ReqSocket socket, Req.ReqContext req) : base(socket, req) => _req = req;

    /// <summary>
    /// This context's resend interval (NNG_OPT_REQ_RESENDTIME); starts as the socket's <see cref="ReqSocket.ResendTime"/>
    /// and changing it leaves the socket and other contexts alone. Zero or <see cref="Timeout.InfiniteTimeSpan"/>
    /// disables timed resends. Takes effect from the next request.
    /// </summary>
    public TimeSpan ResendTime
    {
        get => _req.ResendTime;
        set => _req.ResendTime = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value), "zero (disabled), positive or infinite");
    }
}
