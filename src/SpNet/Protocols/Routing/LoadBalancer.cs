using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Gives each message to one pipe with room in its send queue, rotating the starting pipe so that ready pipes
/// take turns (round robin). When none has room, senders wait until one drains or a new pipe arrives.
/// Used by PUSH, REQ and PAIR.
/// </summary>
/// <remarks>
/// A sender with no room gets a reusable <see cref="SendWaiter"/>, which links itself into a list, retries, and only
/// then waits; a wake-up (room, a new pipe, close) claims every linked waiter under the lock and queues its retry.
/// The waiter is the sender's awaitable and runs the retries itself, with no async method around it, so a sender
/// that keeps hitting a full pipe allocates nothing per wait (a pulse with a fresh TaskCompletionSource per
/// wake-up, Task.WaitAsync per cancellable wait, and an async method's box per wait beyond the builder's small
/// per-core cache, did).
/// </remarks>
internal sealed partial class LoadBalancer
{
    /// <summary>
    /// Most idle waiters kept for reuse (~100 B each): 1,000 REQ contexts on one pipe have ~870 senders waiting at
    /// once, and with 256 spares each wait past them allocated a waiter. 4,096 covers NNG's deepest common use
    /// without keeping an unbounded peak.
    /// </summary>
    private const int MaxSpareWaiters = 4096;

    private readonly object _gate = new();
    private Pipe[] _pipes = [];
    private int _next;
    private volatile bool _closed;

    // Guarded by _gate: the waiting senders (doubly linked, so a cancellation can leave from the middle) and the spares.
    private WaiterList<SendWaiter> _waiters;
    private SendWaiter? _spares;
    private int _spareCount;


    /// <summary>Pipes currently attached.</summary>
    public int Count => Volatile.Read(ref _pipes).Length;

    /// <summary>Senders currently waiting for room (for tests and diagnostics).</summary>
    internal int WaitingCount => _waiters.Count;

    /// <summary>Attaches a pipe and wakes waiting senders.</summary>
    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
        WakeAll();
    }

    /// <summary>Detaches a pipe.</summary>
    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

    /// <summary>Signals that some pipe has room again.</summary>
    public void OnWritable()
    {
        // The write loop made room before calling this; a sender links itself before retrying. The fence orders our
        // read of the count after the room we made, so one of the two always sees the other (no lost wake-up).
        Interlocked.MemoryBarrier();
        if (_waiters.Count != 0)
        {
            WakeAll();
        }
    }

    /// <summary>Gives the message to the next pipe with room. On true the pipe owns it.</summary>
    public bool TrySend(Message message, out Pipe? used)
    {
        Pipe[] pipes = Volatile.Read(ref _pipes);
        int count = pipes.Length;
        if (count > 0)
        {
            int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
            for (int i = 0; i < count; i++)
            {
                Pipe pipe = pipes[(start + i) % count];
                if (pipe.TrySend(message))
                {
                    used = pipe;
                    return true;
                }
            }
        }
        used = null;
        return false;
    }

    /// <summary>Gives the message to a pipe, waiting for room. Throws <see cref="SpNetException"/> (Closed) if the socket closes.</summary>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken) => SendAsync(message, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync(Message, CancellationToken)"/>; <paramref name="outcome"/>, when given, learns which pipe
    /// took the message or that the send failed, before the send completes: a sender with work after the send (REQ
    /// arms its resend) then needs no async method of its own around this one, whose suspension would allocate a box
    /// of its own under many concurrent waits.
    /// </summary>
    public ValueTask SendAsync(Message message, ISendOutcome? outcome, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            outcome?.Failed(message);
            ThrowHelper.ThrowClosed("socket");
        }
        if (TrySend(message, out Pipe? used))
        {
            outcome?.Sent(message, used!);
            return ValueTask.CompletedTask;
        }
        return SlowAsync(message, outcome, cancellationToken);
    }

    /// <summary>Fails every waiting sender with Closed.</summary>
    public void Close()
    {
        _closed = true;
        WakeAll();
    }

    private ValueTask SlowAsync(Message message, ISendOutcome? outcome, CancellationToken cancellationToken)
    {
        SendWaiter waiter = RentWaiter();
        return waiter.Start(message, outcome, cancellationToken);
    }

    /// <summary>Claims every linked waiter; each retries on the thread pool (or again at once, if it is still retrying).</summary>
    private void WakeAll()
    {
        lock (_gate)
        {
            while (_waiters.Head is { } waiter)
            {
                _waiters.Remove(waiter);
                waiter.WakeLocked();
            }
        }
    }

    private SendWaiter RentWaiter()
    {
        lock (_gate)
        {
            if (_spares is { } spare)
            {
                _spares = spare.Next;
                spare.Next = null;
                _spareCount--;
                return spare;
            }
        }
        return new SendWaiter(this);
    }

    private void ReturnWaiter(SendWaiter waiter)
    {
        lock (_gate)
        {
            if (_spareCount < MaxSpareWaiters)
            {
                waiter.Next = _spares;
                _spares = waiter;
                _spareCount++;
            }
        }
    }
}

/// <summary>What a sender does once <see cref="LoadBalancer.SendAsync(Message, ISendOutcome?, CancellationToken)"/> has given its message to a pipe, or once that send failed.</summary>
internal interface ISendOutcome
{
    /// <summary>The message went to <paramref name="pipe"/>; called before the send completes.</summary>
    void Sent(Message message, Pipe pipe);

    /// <summary>The send failed (closed, canceled); called before the failure is thrown.</summary>
    void Failed(Message message);
}
