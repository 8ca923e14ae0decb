using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols;

/// <summary>
/// PUB: every message goes to every subscriber, sharing one buffer. A subscriber whose queue is full misses the
/// message (counted as dropped); the publisher never waits. A queue counts as full at 16 messages over 64 KiB (about
/// 1 MiB of smaller ones), so a stalled subscriber holds what it would under NNG. A peer that sends to a PUB is in violation and its
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
        int depth = DepthFor(message.Length);
        foreach (Pipe pipe in Volatile.Read(ref _pipes))
        {
            message.AddReference();
            if ((depth < pipe.QueueCapacity && pipe.QueuedCount >= depth) || !pipe.TrySend(message))
            {
                Drop(message);
            }
        }
        message.Dispose();
        return true;
    }

    /// <summary>
    /// Messages of this size a subscriber's queue may hold: <see cref="QueueBytes"/> worth, but never fewer than
    /// <see cref="MinDepth"/> (and never more than the socket's send buffer). A stalled subscriber then holds 16
    /// messages of 64 KiB or 1 MiB, as NNG's, where 128 of them (~131 MiB at 1 MiB) did before; small messages keep the
    /// full depth that bursts need.
    /// </summary>
    private static int DepthFor(int length) => Math.Max(MinDepth, QueueBytes / Math.Max(1, length));

    /// <summary>Bytes of messages one subscriber's queue holds, at most, beyond <see cref="MinDepth"/> messages.</summary>
    private const int QueueBytes = 1024 * 1024;

    /// <summary>NNG's PUB send buffer, in messages (pub0: 16 per pipe).</summary>
    private const int MinDepth = 16;

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override void Close() => _closed = true;
}
