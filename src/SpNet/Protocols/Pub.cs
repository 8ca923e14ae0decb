using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PUB: every message goes to every subscriber through <see cref="Fanout"/>: one shared buffer, a subscriber whose
/// queue is full misses the message (counted as dropped), the publisher never waits, and a stalled subscriber holds
/// what it would under NNG. A peer that sends to a PUB is in violation and its pipe is closed, as NNG does.
/// </summary>
/// <remarks>Raw mode is the same: PUB has no header.</remarks>
internal sealed class Pub(SocketStatistics statistics, bool raw = false) : ProtocolBase(ProtocolIds.Pub, statistics)
{
    private readonly Fanout _subscribers = new();
    private volatile bool _closed;

    public override bool IsRaw => raw;

    protected override IPipeSet Peers => _subscribers;

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        message.Dispose();
        Statistics.RecordProtocolError();
        pipe.Close(SpError.Protocol, "a subscriber sent a message to a publisher");
        return ValueTask.CompletedTask;
    }

    public override bool TrySend(Message message)
    {
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
        _subscribers.Send(message, Statistics);
        return true;
    }

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override void Close() => _closed = true;
}
