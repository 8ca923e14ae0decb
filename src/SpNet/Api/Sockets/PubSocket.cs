using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// PUB (0x20): sends every message to every connected SUB. Never waits: a subscriber whose queue is full misses the
/// message, counted in <see cref="SocketStatistics.MessagesDropped"/>. A queue holds <see cref="Socket.SendBufferSize"/>
/// messages but at most 8 KiB per slot in bytes (16 messages at least): 1 MiB at the default 128, so a stalled
/// subscriber of 1 MiB messages holds 16 of them, as under NNG.
/// Cannot receive; a peer that sends to it is disconnected.
/// </summary>
public sealed class PubSocket : Socket
{
    /// <summary>Creates an unconnected PUB socket.</summary>
    public PubSocket() : this(raw: false)
    {
    }

    private PubSocket(bool raw) : base(statistics => new Pub(statistics, raw))
    {
    }

    /// <summary>Creates a raw (device) PUB socket. PUB has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PubSocket CreateRaw() => new(raw: true);
}
