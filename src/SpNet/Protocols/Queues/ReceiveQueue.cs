using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// The socket-level queue of received messages, fed fairly by every pipe's read loop (fair queueing) and
/// drained by the application. Bounded by <see cref="Capacity"/>, which may change at any time
/// (NNG_OPT_RECVBUF): a full queue either makes the pipes wait (backpressure), drops the oldest message, or
/// drops the new one, as the protocol chooses.
/// </summary>
/// <remarks>
/// The messages live in an unbounded channel; the bound is a reservation counter so that it can be resized
/// without recreating the channel (and without losing waiting readers). Writers that find no room wait on a
/// pulse that every dequeue and every resize raises.
/// </remarks>
internal sealed class ReceiveQueue
{
    private readonly Channel<Message> _channel = Channel.CreateUnbounded<Message>();
    private readonly AsyncPulse _room = new();
    private readonly object _gate = new();
    private WaiterList<ReceiveWaiter> _waiters; // guarded by _gate; its count is read without it
    private ReceiveWaiter? _spares; // guarded by _gate, linked through Next
    private int _spareCount;
    private int _capacity;
    private int _reserved;
    private volatile bool _closed;

    public ReceiveQueue(int capacity) => Capacity = capacity;

    /// <summary>Messages waiting.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>
    /// Most messages held. Zero is kept as one: the smallest queue that still lets a pipe hand over a message
    /// (NNG's unbuffered mode). Shrinking keeps what is queued; new messages then wait (or drop) until it drains below the bound.
    /// </summary>
    public int Capacity
    {
        get => Volatile.Read(ref _capacity);
        set
        {
            Interlocked.Exchange(ref _capacity, Math.Max(1, value));
            _room.Pulse();
        }
    }

    /// <summary>Adds a message, waiting while the queue is full. If the socket closes meanwhile the message is freed.</summary>
    public ValueTask EnqueueAsync(Message message)
    {
        if (TryReserve())
        {
            Write(message);
            return ValueTask.CompletedTask;
        }
        return Slow(message);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        async ValueTask Slow(Message m)
        {
            while (true)
            {
                AsyncPulse.Waiter wake = _room.Arm();
                if (TryReserve())
                {
                    _room.Disarm(wake);
                    Write(m);
                    return;
                }
                if (_closed)
                {
                    _room.Disarm(wake);
                    m.Dispose();
                    return;
                }
                await AsyncPulse.WaitAsync(wake).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Adds a message, discarding the oldest ones while full. Returns how many were discarded.</summary>
    public int EnqueueDropOldest(Message message)
    {
        int dropped = 0;
        while (!TryReserve())
        {
            if (_closed)
            {
                message.Dispose();
                return dropped;
            }
            if (_channel.Reader.TryRead(out Message? old))
            {
                Release();
                old.Dispose();
                dropped++;
            }
            else
            {
                // The room is held by writers between reserving and writing: overshoot by one rather than spin.
                Interlocked.Increment(ref _reserved);
                break;
            }
        }
        Write(message);
        return dropped;
    }

    /// <summary>Adds a message if there is room; otherwise frees it. Returns false when it was discarded.</summary>
    public bool EnqueueDropNewest(Message message)
    {
        if (!TryReserve())
        {
            message.Dispose();
            return false;
        }
        Write(message);
        return true;
    }

    /// <summary>Takes a message if one is waiting.</summary>
    public bool TryDequeue(out Message? message)
    {
        if (!_channel.Reader.TryRead(out message))
        {
            return false;
        }
        Release();
        return true;
    }

    /// <summary>Waits for a message; throws <see cref="SpNetException"/> (Closed) once the socket is closed.</summary>
    public ValueTask<Message> DequeueAsync(CancellationToken cancellationToken)
    {
        if (TryDequeue(out Message? message))
        {
            return ValueTask.FromResult(message!);
        }
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
        return Wait(cancellationToken);
    }

    /// <summary>
    /// Links a reusable waiter, then looks again (a writer checks for waiters only after writing, so one of the two
    /// always sees the other). Writers hand messages to linked waiters in order.
    /// </summary>
    private ValueTask<Message> Wait(CancellationToken cancellationToken)
    {
        ReceiveWaiter waiter;
        lock (_gate)
        {
            if (_closed)
            {
                ThrowHelper.ThrowClosed("socket");
            }
            waiter = RentWaiterLocked();
            waiter.Start(this);
            // Announce the waiter before looking: a writer that wrote before it is counted is caught by the look
            // below, one that writes after it sees the count and matches. Looking first lost wake-ups.
            _waiters.AddLast(waiter);
            if (_channel.Reader.TryRead(out Message? ready))
            {
                Unlink(waiter);
                ReturnWaiterLocked(waiter);
                Release();
                return ValueTask.FromResult(ready);
            }
        }
        var pending = new ValueTask<Message>(waiter, waiter.Version);
        waiter.Register(cancellationToken);
        return pending;
    }

    /// <summary>Takes a waiter back for reuse (from <see cref="ReceiveWaiter.GetResult"/>, once nothing can touch it).</summary>
    internal void ReturnWaiter(ReceiveWaiter waiter)
    {
        lock (_gate)
        {
            ReturnWaiterLocked(waiter);
        }
    }

    /// <summary>
    /// Most idle waiters kept: one per receiver that waits at once, e.g. a REP socket's worker contexts (16 in the
    /// REQ/REP benchmark: with one spare, 15 of 16 waits allocated a waiter); 64 covers that without keeping a peak.
    /// </summary>
    private const int MaxSpareWaiters = 64;

    private ReceiveWaiter RentWaiterLocked()
    {
        if (_spares is { } spare)
        {
            _spares = spare.Next;
            spare.Next = null;
            _spareCount--;
            return spare;
        }
        return new ReceiveWaiter();
    }

    private void ReturnWaiterLocked(ReceiveWaiter waiter)
    {
        if (_spareCount < MaxSpareWaiters)
        {
            waiter.Next = _spares;
            _spares = waiter;
            _spareCount++;
        }
    }

    /// <summary>Removes a waiter that is still linked (cancellation). False when a writer or close claimed it first.</summary>
    internal bool TryUnlink(ReceiveWaiter waiter)
    {
        lock (_gate)
        {
            if (!waiter.Linked)
            {
                return false;
            }
            Unlink(waiter);
            return true;
        }
    }

    private void Unlink(ReceiveWaiter waiter) => _waiters.Remove(waiter);

    /// <summary>Hands queued messages to linked waiters, one pair at a time, completing each outside the lock.</summary>
    private void Match()
    {
        while (true)
        {
            ReceiveWaiter? waiter;
            Message? message;
            lock (_gate)
            {
                waiter = _waiters.Head;
                if (waiter is null || !_channel.Reader.TryRead(out message))
                {
                    return;
                }
                Unlink(waiter);
            }
            Release();
            waiter.Complete(message);
        }
    }

    private void FailWaiters()
    {
        while (true)
        {
            ReceiveWaiter? waiter;
            lock (_gate)
            {
                waiter = _waiters.Head;
                if (waiter is null)
                {
                    return;
                }
                Unlink(waiter);
            }
            waiter.Fail(new SpNetException(SpError.Closed, "socket is closed"));
        }
    }

    /// <summary>Discards everything queued (REQ does this when a new request supersedes the old).</summary>
    public void Clear()
    {
        while (TryDequeue(out Message? m))
        {
            m!.Dispose();
        }
    }

    /// <summary>Fails waiting readers with Closed and frees what is queued.</summary>
    public void Close()
    {
        _closed = true;
        _channel.Writer.TryComplete();
        Clear();
        FailWaiters();
        _room.Pulse();
    }

    private bool TryReserve()
    {
        while (true)
        {
            int reserved = Volatile.Read(ref _reserved);
            if (reserved >= Volatile.Read(ref _capacity))
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _reserved, reserved + 1, reserved) == reserved)
            {
                return true;
            }
        }
    }

    private void Release()
    {
        Interlocked.Decrement(ref _reserved);
        _room.Pulse();
    }

    private void Write(Message message)
    {
        if (!_channel.Writer.TryWrite(message))
        {
            // Closed: an unbounded channel refuses only then.
            Interlocked.Decrement(ref _reserved);
            message.Dispose();
            return;
        }
        if (_waiters.Count != 0)
        {
            Match();
        }
    }
}
