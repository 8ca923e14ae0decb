using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// STAR (0x640, mangos' experimental protocol; no C implementation speaks it): a self-forwarding mesh. A send goes to
/// every connected STAR peer; every message a member receives is given to the application and forwarded, with its hop
/// count raised, to all the member's other peers, so a message crosses any loop-free topology (a chain, a hub). Sends
/// never wait: a full peer misses the message. Messages that have made <see cref="MaxTtl"/> hops are dropped, which
/// also ends loops.
/// </summary>
public sealed class StarSocket : Socket
{
    /// <summary>STAR's hop limit runs to 255 (mangos), not NNG's 15: a STAR hop count is a whole byte.</summary>
    private static readonly Option<StarSocket, int> s_maxTtl = MaxTtlOption<StarSocket>(OptionKind.Int32(1, 255));

    /// <summary>STAR's options: the common ones and the hop limit.</summary>
    private static readonly OptionTable<StarSocket> s_options = CommonOptions.With(s_maxTtl);

    /// <summary>Creates an unconnected, cooked STAR socket.</summary>
    public StarSocket() : this(raw: false)
    {
    }

    private StarSocket(bool raw) : base(statistics => new Star(statistics, DefaultReceiveBufferSize, raw), s_options)
    {
    }

    /// <summary>
    /// Creates a raw STAR socket (mangos xstar): a received message's <see cref="Message.Header"/> is <c>00 00 00 hops+1</c>;
    /// a sent message must carry exactly a 4-byte header, sent unchanged to every peer (otherwise it is dropped silently).
    /// </summary>
    public static StarSocket CreateRaw() => new(raw: true);

    /// <summary>Hop limit (mangos OptionTTL, <c>ttl-max</c>; 1–255, default 8): a message arriving with this many hops or more is dropped.</summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }
}
