using System.Diagnostics;
using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Best-effort multicast to every attached pipe (PUB, BUS, STAR): the message is shared by reference count, a pipe
/// whose queue is full misses it (counted as dropped), and nobody waits.
/// </summary>
/// <remarks>
/// A pipe's queue holds its capacity in messages but at most <see cref="SlotBytes"/> per slot in bytes (16 messages
/// at least): at the default 128 slots that is 1 MiB, so a stalled peer of 64 KiB or 1 MiB messages holds 16 of them,
/// as NNG's PUB does, where 128 of them (~131 MiB at 1 MiB) did before; a larger send buffer buys proportionally more
/// room for bursts.
/// </remarks>
internal sealed class Fanout : IPipeSet
{
    /// <summary>Bytes one queue slot stands for when a pipe's queue is bounded in bytes.</summary>
    private const int SlotBytes = 8 * 1024;

    /// <summary>NNG's PUB send buffer, in messages (pub0: 16 per pipe).</summary>
    private const int MinDepth = 16;

    /// <summary>
    /// A send that starts within this long of the previous one's end is part of a burst: it is queued for the pipes'
    /// write loops (which coalesce it with its neighbours) instead of being written to each pipe at once. 1 PUB to 100
    /// SUB, 1 KiB flooded, otherwise made one system call per subscriber per message (1,245 msg/s sent).
    /// </summary>
    private static readonly long BurstGapTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private readonly object _gate = new();
    private Pipe[] _pipes = [];
    private long _lastSendEnd;

    /// <summary>Pipes attached now.</summary>
    public int Count => Volatile.Read(ref _pipes).Length;

    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
    }

    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

    /// <summary>True when some pipe other than <paramref name="except"/> is attached.</summary>
    public bool HasOtherThan(Pipe? except)
    {
        Pipe[] pipes = Volatile.Read(ref _pipes);
        return pipes.Length > 1 || (pipes.Length == 1 && pipes[0] != except);
    }

    /// <summary>
    /// Offers <paramref name="message"/> to every pipe except <paramref name="except"/> (and except the pipe whose
    /// id is <paramref name="exceptId"/>), then releases the caller's reference: ownership is always taken. When every
    /// pipe offered had to drop it, the sender gives up the rest of its time slice (see <see cref="YieldWhenNoneTook"/>).
    /// </summary>
    public void Send(Message message, SocketStatistics statistics, Pipe? except = null, uint exceptId = 0)
    {
        bool burst = Stopwatch.GetTimestamp() - Volatile.Read(ref _lastSendEnd) < BurstGapTicks;
        int length = message.Length;
        int offered = 0;
        int dropped = 0;
        foreach (Pipe pipe in Volatile.Read(ref _pipes))
        {
            if (pipe == except || pipe.Id == exceptId)
            {
                continue;
            }
            offered++;
            message.AddReference();
            int depth = DepthFor(length, pipe.QueueCapacity);
            if ((depth < pipe.QueueCapacity && pipe.QueuedCount >= depth) || !pipe.TrySend(message, burst))
            {
                statistics.RecordDropped();
                message.Dispose();
                dropped++;
            }
        }
        message.Dispose();
        Volatile.Write(ref _lastSendEnd, Stopwatch.GetTimestamp());
        if (dropped != 0 && dropped == offered)
        {
            YieldWhenNoneTook();
        }
    }

    /// <summary>
    /// A message that no pipe could take means the sender outruns every peer, and a sender that never waits is always
    /// runnable: on a small machine it takes a core from the threads that would carry its messages (its own write
    /// loops, the subscribers). Giving up its time slice then costs it one system call when nothing else wants the
    /// core and lets them run when something does; the send still never waits for the network. 1 PUB flooding 1 SUB
    /// with 1,000,000 × 1 KiB over tcp, two processes on two cores: 321k–549k of the messages arrived without it,
    /// 825k–923k with it (alternating builds, same run, load 18–19). One stalled subscriber among others that keep up
    /// does not trigger it.
    /// </summary>
    private static void YieldWhenNoneTook() => Thread.Yield();

    /// <summary>Messages of this size a queue of <paramref name="capacity"/> slots may hold (the caller caps it at the capacity).</summary>
    private static int DepthFor(int length, int capacity) => (int)Math.Max(MinDepth, (long)capacity * SlotBytes / Math.Max(1, length));
}
