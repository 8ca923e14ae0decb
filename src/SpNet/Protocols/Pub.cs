using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols;

/// <summary>
/// PUB: every message goes to every subscriber, sharing one buffer. A subscriber whose queue is full misses the
/// message (counted as dropped); the publisher never waits. A queue holds <see cref="Socket.SendBufferSize"/> messages,
/// but at most 8 KiB per slot of them in bytes (16 messages at least): at the default 128 that is 1 MiB, so a stalled
/// subscriber of 64 KiB or 1 MiB messages holds 16 of them, as under NNG. A peer that sends to a PUB is in violation
/// and its pipe is closed, as NNG does.
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
        int length = message.Length;
        foreach (Pipe pipe in Volatile.Read(ref _pipes))
        {
            message.AddReference();
            int depth = DepthFor(length, pipe.QueueCapacity);
            if ((depth < pipe.QueueCapacity && pipe.QueuedCount >= depth) || !pipe.TrySend(message))
            {
                Drop(message);
            }
        }
        message.Dispose();
        return true;
    }

    /// <summary>
    /// Messages of this size a subscriber's queue of <paramref name="capacity"/> slots may hold: <see cref="SlotBytes"/>
    /// per slot in all, but never fewer than <see cref="MinDepth"/> (the caller caps it at the capacity). At the default
    /// 128 slots a stalled subscriber holds 1 MiB, or 16 messages of 64 KiB or 1 MiB as under NNG, where 128 of them
    /// (~131 MiB at 1 MiB) did before; a larger SendBufferSize buys proportionally more room for bursts.
    /// </summary>
    private static int DepthFor(int length, int capacity) => (int)Math.Max(MinDepth, (long)capacity * SlotBytes / Math.Max(1, length));

    /// <summary>Bytes one queue slot stands for when a subscriber's queue is bounded in bytes.</summary>
    private const int SlotBytes = 8 * 1024;

    /// <summary>NNG's PUB send buffer, in messages (pub0: 16 per pipe).</summary>
    private const int MinDepth = 16;

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override void Close() => _closed = true;
}
