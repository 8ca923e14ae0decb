using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// A protocol whose sends never wait (BUS, STAR, polyamorous PAIR1, raw SURVEYOR): a send is <see cref="ProtocolBase.TrySend"/>,
/// which drops what cannot go at once, and received messages wait in one queue. Subclasses route the sends and
/// check what arrives.
/// </summary>
internal abstract class NeverWaitingProtocol(ProtocolInfo info, SocketStatistics statistics, int receiveCapacity) : ProtocolBase(info, statistics)
{
    private volatile bool _closed;

    /// <summary>Messages received and not yet taken by the application.</summary>
    protected ReceiveQueue Received { get; } = new(receiveCapacity);

    public override void SetReceiveBufferSize(int messages) => Received.Capacity = messages;

    public sealed override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => Received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => Received.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _closed = true;
        Received.Close();
    }

    /// <summary>A send after close fails rather than dropping silently.</summary>
    protected void ThrowIfClosed()
    {
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
    }
}
