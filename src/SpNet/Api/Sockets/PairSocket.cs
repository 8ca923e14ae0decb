using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// PAIR (v0, protocol 0x10): a bidirectional channel to exactly one peer. A second peer's connection is closed
/// after the handshake. Sends wait while there is no peer or its queue is full.
/// </summary>
public sealed class PairSocket : Socket
{
    /// <summary>Creates an unconnected PAIR0 socket.</summary>
    public PairSocket() : this(raw: false)
    {
    }

    private PairSocket(bool raw) : base(statistics => new Pair0(statistics, DefaultReceiveBufferSize, raw))
    {
    }

    /// <summary>Creates a raw (device) PAIR0 socket. PAIR0 has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PairSocket CreateRaw() => new(raw: true);
}
