using SpNet.Protocols;

namespace SpNet;

/// <summary>PULL (0x51): the receiving end of a pipeline; fair-queues messages from every PUSH peer. Cannot send.</summary>
public sealed class PullSocket : Socket
{
    /// <summary>Creates an unconnected PULL socket.</summary>
    public PullSocket() : this(new SocketStatistics(), raw: false)
    {
    }

    private PullSocket(SocketStatistics statistics, bool raw) : base(new Pull(statistics, DefaultReceiveBufferSize, raw), statistics)
    {
    }

    /// <summary>Creates a raw (device) PULL socket. PULL has no header, so it behaves as a cooked one; <see cref="Socket.IsRaw"/> is true.</summary>
    public static PullSocket CreateRaw() => new(new SocketStatistics(), raw: true);
}
