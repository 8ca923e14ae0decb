using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// REQ (0x30): sends a request and receives its reply. One request is outstanding at a time: sending a new one
/// abandons the previous (its reply, if it comes, is dropped). The request is resent after <see cref="ResendTime"/>
/// without a reply, and at once if the connection that carried it dies. Receiving before sending a request
/// fails with <see cref="SpError.IncorrectState"/>.
/// </summary>
public sealed class ReqSocket : Socket
{
    private readonly Req _req;

    /// <summary>Creates an unconnected REQ socket.</summary>
    public ReqSocket() : this(new SocketStatistics())
    {
    }

    private ReqSocket(SocketStatistics statistics) : this(new Req(statistics), statistics)
    {
    }

    private ReqSocket(Req req, SocketStatistics statistics) : base(req, statistics) => _req = req;

    /// <summary>
    /// How long to wait for a reply before sending the request again (NNG_OPT_REQ_RESENDTIME). Default 1 minute, as
    /// NNG; zero or <see cref="Timeout.InfiniteTimeSpan"/> disables timed resends (a request is still resent when its
    /// connection dies). Takes effect from the next request.
    /// </summary>
    public TimeSpan ResendTime
    {
        get => _req.ResendTime;
        set => _req.ResendTime = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value), "zero (disabled), positive or infinite");
    }
}
