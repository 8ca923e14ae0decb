using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Gives each message to one pipe with room in its send queue, rotating the starting pipe so that ready pipes
/// take turns (round robin). When none has room, senders wait until one drains or a new pipe arrives.
/// Used by PUSH, REQ and PAIR.
/// </summary>
/// <remarks>
/// A sender with no room links a reusable <see cref="SendWaiter"/> into a list, retries, and only then waits; a
/// wake-up (room, a new pipe, close) claims every linked waiter under the lock and completes it, and the sender
/// retries. Waiters are kept for reuse, so a sender that keeps hitting a full pipe allocates nothing per wait
/// (a pulse with a fresh TaskCompletionSource per wake-up, and Task.WaitAsync per cancellable wait, did).
/// </remarks>
internal sealed class LoadBalancer
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SlowAsync(Message message, ISendOutcome? outcome, CancellationToken cancellationToken)
    {
        SendWaiter waiter = RentWaiter();
        CancellationTokenRegistration registration = default;
        Pipe? used;
        try
        {
            if (cancellationToken.CanBeCanceled)
            {
                registration = cancellationToken.UnsafeRegister(SendWaiter.OnCanceled, waiter);
            }
            while (true)
            {
                Link(waiter, cancellationToken);
                if (TrySend(message, out used))
                {
                    Unlink(waiter);
                    break;
                }
                if (_closed)
                {
                    Unlink(waiter);
                    ThrowHelper.ThrowClosed("socket");
                }
                // Woken by room, a new pipe or close (then retry), or failed by cancellation (throws).
                await new ValueTask(waiter, waiter.Version).ConfigureAwait(false);
            }
        }
        catch
        {
            outcome?.Failed(message);
            throw;
        }
        finally
        {
            // Dispose waits out a cancellation callback already running, so nothing touches the waiter once it is spare.
            registration.Dispose();
            ReturnWaiter(waiter);
        }
        outcome?.Sent(message, used!);
    }

    /// <summary>Links the waiter before the caller retries, unless its token is already canceled (checked under the lock, see <see cref="Cancel"/>).</summary>
    private void Link(SendWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _waiters.AddLast(waiter);
        }
    }

    /// <summary>
    /// Takes the waiter out after its retry succeeded (or the socket closed). If a wake-up or a cancellation claimed it
    /// first, that completion already happened (claims complete under the lock): consume it so the waiter can be reused.
    /// </summary>
    private void Unlink(SendWaiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Linked)
            {
                RemoveLocked(waiter);
                return;
            }
        }
        waiter.Consume();
    }

    /// <summary>Completes every linked waiter; each retries. Completions only queue the sender's continuation, so holding the lock is cheap.</summary>
    private void WakeAll()
    {
        lock (_gate)
        {
            while (_waiters.Head is { } waiter)
            {
                RemoveLocked(waiter);
                waiter.Wake();
            }
        }
    }

    /// <summary>The cancellation callback: fails the waiter if it is still waiting; if it is retrying, the next <see cref="Link"/> sees the token.</summary>
    private void Cancel(SendWaiter waiter, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (waiter.Linked)
            {
                RemoveLocked(waiter);
                waiter.Fail(new OperationCanceledException(cancellationToken));
            }
        }
    }

    private void RemoveLocked(SendWaiter waiter) => _waiters.Remove(waiter);

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
            if (waiter.Linked)
            {
                // Only if something unexpected threw between linking and waiting: leave the list, and do not reuse it.
                RemoveLocked(waiter);
                return;
            }
            // A completion nobody observed (same unexpected case) would reach the next sender: reuse only idle waiters.
            if (_spareCount < MaxSpareWaiters && waiter.IsIdle)
            {
                waiter.Next = _spares;
                _spares = waiter;
                _spareCount++;
            }
        }
    }

    /// <summary>
    /// One waiting sender's awaitable, reused across its retries and then by later senders. It is completed only by
    /// whoever unlinks it under the owner's lock (a wake-up or a cancellation), so it completes at most once per link,
    /// and its result is always observed (awaited, or consumed by <see cref="Unlink"/>) before it is reset.
    /// </summary>
    private sealed class SendWaiter(LoadBalancer owner) : WaiterNode<SendWaiter>, IValueTaskSource
    {
        public static readonly Action<object?, CancellationToken> OnCanceled = static (state, token) =>
        {
            var waiter = (SendWaiter)state!;
            waiter._owner.Cancel(waiter, token);
        };

        private readonly LoadBalancer _owner = owner;

        // Continuations always run asynchronously: the completer is a pipe's write loop or a socket closing, and must
        // not run the sender's retry and, after it, the application's code.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public short Version => _core.Version;

        /// <summary>Not completed since its last reset: safe to hand to another sender.</summary>
        public bool IsIdle => _core.GetStatus(_core.Version) == ValueTaskSourceStatus.Pending;

        public void Wake() => _core.SetResult(true);

        public void Fail(Exception error) => _core.SetException(error);

        /// <summary>Observes a completion nobody awaited (the retry had succeeded meanwhile) and makes the waiter reusable.</summary>
        public void Consume()
        {
            try
            {
                _core.GetResult(_core.Version);
            }
            catch (OperationCanceledException)
            {
                // Canceled after the message was already placed: the send succeeded, which is what the caller sees.
            }
            finally
            {
                _core.Reset();
            }
        }

        public void GetResult(short token)
        {
            try
            {
                _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
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
