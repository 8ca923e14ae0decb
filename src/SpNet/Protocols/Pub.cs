using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols;

/// <summary>
/// PUB: every message goes to every subscriber, sharing one buffer. A subscriber whose queue is full misses the
/// message (counted as dropped); the publisher never waits. A peer that sends to a PUB is in violation and its
/// pipe is closed, as NNG does.
/// </summary>
/// <remarks>Raw mode is the same: PUB has no header.</remarks>
internal sealed class Pub(SocketStatistics statistics, bool raw = false) : ProtocolBase(ProtocolIds.Pub, statistics)
{
    private readonly object _gate = new();
    private Pipe[] _pipes = [];
    private volatile bool _closed;

    public override bool IsRaw => raw;

    public override bool AddPipe(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

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
        foreach (Pipe pipe in Volatile.Read(ref _pipes))
        {
            message.AddReference();
            if (!pipe.TrySend(message))
            {
                Drop(message);
            }
        }
        message.Dispose();
        return true;
    }

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override void Close() => _closed = true;
}
