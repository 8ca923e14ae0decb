using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// PUB (0x20): sends every message to every connected SUB. Never waits: a subscriber whose queue
/// (<see cref="Socket.SendBufferSize"/>) is full misses the message, counted in <see cref="SocketStatistics.MessagesDropped"/>.
/// Cannot receive; a peer that sends to it is disconnected.
/// </summary>
public sealed class PubSocket : Socket
{
    /// <summary>Creates an unconnected PUB socket.</summary>
    public PubSocket() : this(new SocketStatistics(), raw: false)
    {
    }

    private PubSocket(SocketStatistics statistics, bool raw) : base(new Pub(statistics, raw), statistics)
    {
    }

    /// <summary>Creates a raw (device) PUB socket. PUB has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PubSocket CreateRaw() => new(new SocketStatistics(), raw: true);
}
