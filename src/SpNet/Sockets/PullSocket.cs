using SpNet.Protocols;

namespace SpNet;

/// <summary>PULL (0x51): the receiving end of a pipeline; fair-queues messages from every PUSH peer. Cannot send.</summary>
public sealed class PullSocket : Socket
{
    /// <summary>Creates an unconnected PULL socket.</summary>
    public PullSocket() : this(new SocketStatistics())
    {
    }

    private PullSocket(SocketStatistics statistics) : base(new Pull(statistics, DefaultReceiveBufferSize), statistics)
    {
    }
}
