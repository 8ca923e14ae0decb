using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// BUS (0x70): every message goes to every directly connected BUS peer, never back to the sender and never further
/// (build a full mesh, or use a device, for everyone to hear everyone). Sends never wait: a peer whose queue is full
/// misses the message, counted in <see cref="SocketStatistics.MessagesDropped"/>. Receives fair-queue all peers.
/// </summary>
public sealed class BusSocket : Socket
{
    /// <summary>Creates an unconnected, cooked BUS socket.</summary>
    public BusSocket() : this(raw: false)
    {
    }

    private BusSocket(bool raw) : base(statistics => new Bus(statistics, DefaultReceiveBufferSize, raw))
    {
    }

    /// <summary>
    /// Creates a raw (device) BUS socket: a received message's <see cref="Message.Header"/> is the 4-byte big-endian id of
    /// the pipe it came on (never on the wire); a sent message whose header starts with a pipe id goes to every pipe but
    /// that one, so a one-socket reflector (a device with one raw BUS) does not echo back to the sender.
    /// </summary>
    public static BusSocket CreateRaw() => new(raw: true);
}
