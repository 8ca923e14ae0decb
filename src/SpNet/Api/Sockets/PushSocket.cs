using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// PUSH (0x50): the sending end of a pipeline. Each message goes to one connected PULL peer with room, peers taking
/// turns; with no peer, sends wait up to <see cref="MessagePort.SendTimeout"/>. Cannot receive.
/// </summary>
public sealed class PushSocket : Socket
{
    /// <summary>Creates an unconnected PUSH socket.</summary>
    public PushSocket() : this(raw: false)
    {
    }

    private PushSocket(bool raw) : base(statistics => new Push(statistics, raw))
    {
    }

    /// <summary>Creates a raw (device) PUSH socket. PUSH has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PushSocket CreateRaw() => new(raw: true);
}
