using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// PAIR v1 (protocol 0x11): a bidirectional channel with a 4-byte hop-count header on the wire (NNG's
/// <c>nng_pair1_open</c>). Monogamous by default: one peer, further connections are closed after the handshake, sends
/// wait while there is no peer or its queue is full. <see cref="CreatePolyamorous"/> makes a socket that talks to many
/// peers and routes each send by <see cref="Message.PipeId"/>; <see cref="CreateRaw"/> one that exposes the hop count.
/// PAIR1 cannot connect to PAIR0 (the protocol ids differ).
/// </summary>
public sealed class Pair1Socket : Socket
{
    private static readonly Option<Pair1Socket, int> s_maxTtl = MaxTtlOption<Pair1Socket>(OptionKind.Ttl);

    /// <summary>PAIR1's options (NNG's pair1 table): the common ones, the hop limit and whether it is polyamorous (read-only).</summary>
    private static readonly OptionTable<Pair1Socket> s_options = CommonOptions.With(
        s_maxTtl,
        new Option<Pair1Socket, bool>(OptionNames.Pair1Polyamorous, OptionKind.Boolean, s => s.IsPolyamorous, null));

    /// <summary>Creates an unconnected, cooked, monogamous PAIR1 socket.</summary>
    public Pair1Socket() : this(statistics => new Pair1(statistics, DefaultReceiveBufferSize, raw: false))
    {
    }

    private Pair1Socket(Func<SocketStatistics, IProtocol> protocol) : base(protocol, s_options)
    {
    }

    /// <summary>
    /// Creates a raw (device) PAIR1 socket: a received message's <see cref="Message.Header"/> is its 4-byte hop count as
    /// it arrived; a sent message must carry a 4-byte hop count below 0xFF, which goes out incremented by one (NNG).
    /// A send without one fails with <see cref="SpError.Protocol"/>.
    /// </summary>
    public static Pair1Socket CreateRaw() => new(statistics => new Pair1(statistics, DefaultReceiveBufferSize, raw: true));

    /// <summary>
    /// Creates a polyamorous PAIR1 socket (NNG 1.5's <c>nng_pair1_open_poly</c>, deprecated there but wire-identical):
    /// any number of peers; a received message's <see cref="Message.PipeId"/> tells which; a send goes to the pipe its
    /// <see cref="Message.PipeId"/> names (0 = the first connected peer). Sends never wait: an unknown pipe or a full
    /// queue discards the message, counted in <see cref="SocketStatistics.MessagesDropped"/>. Cooked only.
    /// </summary>
    public static Pair1Socket CreatePolyamorous() => new(statistics => new Pair1Poly(statistics, DefaultReceiveBufferSize));

    /// <summary>True for a socket made by <see cref="CreatePolyamorous"/> (NNG_OPT_PAIR1_POLY).</summary>
    public bool IsPolyamorous => Protocol is Pair1Poly;

    /// <summary>
    /// Largest hop count accepted on receipt (NNG_OPT_MAXTTL, <c>ttl-max</c>; 1–15, default 8). Messages over it are
    /// dropped and counted; a count above 255 closes the pipe.
    /// </summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }
}
