using SpNet.Protocols;

namespace SpNet;

/// <summary>PULL (0x51): the receiving end of a pipeline; fair-queues messages from every PUSH peer. Cannot send.</summary>
public sealed class PullSocket : Socket
{
    /// <summary>Creates an unconnected PULL socket.</summary>
    public PullSocket() : this(raw: false)
    {
    }

    private PullSocket(bool raw) : base(statistics => new Pull(statistics, DefaultReceiveBufferSize, raw))
    {
    }

    /// <summary>Creates a raw (device) PULL socket. PULL has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PullSocket CreateRaw() => new(raw: true);
}
