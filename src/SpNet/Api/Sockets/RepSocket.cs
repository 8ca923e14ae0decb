using SpNet.Options;
using SpNet.Protocols;
using SpNet.Protocols.Raw;

namespace SpNet;

/// <summary>
/// REP (0x31): receives requests from any REQ peer and answers each. Receive a request, then send the reply: it
/// carries the request's backtrace and goes back only to the connection the request came on (discarded if that
/// connection is gone). Sending without a request fails with <see cref="SpError.IncorrectState"/>. Use
/// <see cref="OpenContext"/> to let several workers each hold a request, or <see cref="CreateRaw"/> for device mode.
/// </summary>
public sealed class RepSocket : Socket
{
    private static readonly Option<RepSocket, int> s_maxTtl = MaxTtlOption<RepSocket>(OptionKind.Ttl);

    /// <summary>REP's options (NNG's rep0 and xrep0): the common ones and the hop limit.</summary>
    private static readonly OptionTable<RepSocket> s_options = CommonOptions.With(s_maxTtl);

    /// <summary>Creates an unconnected REP socket.</summary>
    public RepSocket() : this(raw: false)
    {
    }

    private RepSocket(bool raw) : base(statistics => raw
        ? new XRep(ProtocolIds.Rep, statistics, DefaultReceiveBufferSize)
        : new Rep(statistics, DefaultReceiveBufferSize), s_options)
    {
    }

    /// <summary>
    /// Creates a raw REP socket (device mode): a received request's <see cref="Message.Header"/> is
    /// <c>[local pipe id][tags…]</c> (4-byte big-endian each); a sent message's header must start with such a pipe
    /// id, which picks the connection, and the rest of the header goes out before the body. Unknown pipe or full
    /// queue: dropped.
    /// </summary>
    public static RepSocket CreateRaw() => new(raw: true);

    /// <summary>Most routing hops a request may carry (NNG_OPT_MAXTTL, 1–15, default 8); requests over it are dropped.</summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }

    /// <summary>Opens an independent reply context: it receives a request and answers it with its own saved backtrace.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket; <see cref="SpError.Closed"/>.</exception>
    public RepContext OpenContext() => new(this, OpenContextCore());
}
