using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// REP (0x31): receives requests from any REQ peer and answers each. Receive a request, then send the reply: it
/// carries the request's backtrace and goes back only to the connection the request came on (discarded if that
/// connection is gone). Sending without a request fails with <see cref="SpError.IncorrectState"/>.
/// </summary>
public sealed class RepSocket : Socket
{
    private readonly Rep _rep;

    /// <summary>Creates an unconnected REP socket.</summary>
    public RepSocket() : this(new SocketStatistics())
    {
    }

    private RepSocket(SocketStatistics statistics) : this(new Rep(statistics, DefaultReceiveBufferSize), statistics)
    {
    }

    private RepSocket(Rep rep, SocketStatistics statistics) : base(rep, statistics) => _rep = rep;

    /// <summary>Most routing hops a request may carry (NNG_OPT_MAXTTL, 1–15, default 8); requests over it are dropped.</summary>
    public int MaxTtl
    {
        get => _rep.MaxTtl;
        set => _rep.MaxTtl = value;
    }
}
