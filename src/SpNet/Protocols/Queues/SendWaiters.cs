using System.Threading.Tasks.Sources;
using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>Where a waiting sender retries: a load balancer over all pipes, or the one pipe a reply must take.</summary>
internal interface ISendTarget
{
    /// <summary>Gives the message to a pipe with room, without waiting; on true the pipe (or a drop) owns it and <paramref name="used"/> names the pipe, if any.</summary>
    bool TrySend(Message message, out Pipe? used);
}

/// <summary>
/// The senders of one socket waiting for room: a sender with no room takes a pooled <see cref="Waiter"/>, which
/// links itself into the list, retries, and only then waits; a wake-up (room, a new pipe, close) claims every linked
/// waiter under the lock and queues its retry. The waiter is the sender's awaitable and runs the retries itself,
/// with no async method around it, so a sender that keeps hitting a full pipe allocates nothing per wait (a pulse
/// with a fresh TaskCompletionSource per wake-up, Task.WaitAsync per cancellable wait, and an async method's box
/// per wait beyond the builder's small per-core cache, did).
/// </summary>
internal sealed class SendWaiters
{
    /// <summary>
    /// Most idle waiters kept for reuse (~100 B each): 1,000 REQ contexts on one pipe have ~870 senders waiting at
    /// once, and with 256 spares each wait past them allocated a waiter. 4,096 covers NNG's deepest common use
    /// without keeping an unbounded peak.
    /// </summary>
    private const int MaxSpareWaiters = 4096;

    private readonly object _gate = new();
    private volatile bool _closed;

    // Guarded by _gate: the waiting senders (doubly linked, so a cancellation can leave from the middle) and the spares.
    private WaiterList<Waiter> _waiters;
    private Waiter? _spares;
    private int _spareCount;

    /// <summary>Senders currently waiting for room (for tests and diagnostics).</summary>
    public int Count => _waiters.Count;

    /// <summary>True once <see cref="Close"/> ran: waiting senders fail with Closed.</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// Waits until <paramref name="target"/> takes <paramref name="message"/>. <paramref name="outcome"/>, when given,
    /// learns which pipe took it or that the send failed, before the send completes.
    /// </summary>
    public ValueTask SendAsync(Message message, ISendTarget target, ISendOutcome? outcome, CancellationToken cancellationToken) =>
        RentWaiter().Start(message, target, outcome, cancellationToken);

    /// <summary>Signals that some pipe has room again (or a new pipe came).</summary>
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

    /// <summary>Fails every waiting sender, and every later one, with Closed.</summary>
    public void Close()
    {
        _closed = true;
        WakeAll();
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

    private Waiter RentWaiter()
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
        return new Waiter(this);
    }

    private void ReturnWaiter(Waiter waiter)
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

    /// <summary>
    /// One waiting send: the sender's awaitable, and the loop that retries it. It links itself into the owner's list
    /// before each retry (so a wake-up between the retry and the wait is not lost); a wake-up or a cancellation
    /// that claims it queues one retry, or, if a retry is running, asks it to go round again, so at most one retry
    /// runs at a time and only the retry completes the send. Kept for reuse by later senders once its result is read.
    /// </summary>
    private sealed class Waiter(SendWaiters owner) : WaiterNode<Waiter>, IValueTaskSource, IThreadPoolWorkItem
    {
        private static readonly Action<object?, CancellationToken> s_onCanceled = static (state, _) => ((Waiter)state!).OnCanceled();

        // Continuations run inline: the send completes only in Run, on the sender's own thread before it awaits or
        // on a thread-pool work item, never under a lock or on a pipe's write loop.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
        private Message? _message;
        private ISendTarget? _target;
        private ISendOutcome? _outcome;
        private CancellationToken _token;
        private CancellationTokenRegistration _registration;

        // Guarded by the owner's lock.
        private bool _running;
        private bool _retryAgain;
        private bool _canceled;
        private bool _done;

        /// <summary>Starts retrying <paramref name="message"/>; the returned task completes once a pipe took it or the send failed.</summary>
        public ValueTask Start(Message message, ISendTarget target, ISendOutcome? outcome, CancellationToken cancellationToken)
        {
            _message = message;
            _target = target;
            _outcome = outcome;
            _token = cancellationToken;
            lock (owner._gate)
            {
                _running = true;
                _retryAgain = _canceled = _done = false;
            }
            short version = _core.Version;
            if (cancellationToken.CanBeCanceled)
            {
                // A token canceled already runs the callback here; it finds us running and leaves the failure to Run.
                _registration = cancellationToken.UnsafeRegister(s_onCanceled, this);
            }
            Run();
            return new ValueTask(this, version);
        }

        /// <summary>Called under the owner's lock by a wake-up that has just unlinked this waiter.</summary>
        public void WakeLocked()
        {
            if (_running)
            {
                _retryAgain = true;
            }
            else
            {
                _running = true;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
            }
        }

        void IThreadPoolWorkItem.Execute() => Run();

        private void OnCanceled()
        {
            lock (owner._gate)
            {
                if (_done)
                {
                    return;
                }
                _canceled = true;
                if (Linked && !_running)
                {
                    owner._waiters.Remove(this);
                    _running = true;
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
                }
            }
        }

        private void Run()
        {
            while (true)
            {
                lock (owner._gate)
                {
                    _retryAgain = false;
                    if (_canceled || owner._closed)
                    {
                        if (Linked)
                        {
                            owner._waiters.Remove(this);
                        }
                        _running = false;
                        _done = true;
                        break;
                    }
                    if (!Linked)
                    {
                        owner._waiters.AddLast(this);
                    }
                }
                bool sent;
                Pipe? used;
                try
                {
                    sent = _target!.TrySend(_message!, out used);
                }
                catch (Exception ex)
                {
                    End();
                    Finish(null, ex);
                    return;
                }
                if (sent)
                {
                    End();
                    Finish(used, null);
                    return;
                }
                lock (owner._gate)
                {
                    if (!_retryAgain && !_canceled && !owner._closed)
                    {
                        _running = false;
                        return; // linked: a wake-up or a cancellation runs us again
                    }
                }
            }
            Finish(null, _canceled ? new OperationCanceledException(_token) : new SpNetException(SpError.Closed, "socket is closed"));
        }

        /// <summary>Leaves the list and stops taking wake-ups and cancellations, before <see cref="Finish"/>.</summary>
        private void End()
        {
            lock (owner._gate)
            {
                if (Linked)
                {
                    owner._waiters.Remove(this);
                }
                _running = false;
                _done = true;
            }
        }

        /// <summary>Ends the send. Nothing may touch this waiter after the completion: its continuation may reuse it.</summary>
        private void Finish(Pipe? used, Exception? error)
        {
            // Dispose waits out a cancellation callback already running; it then sees _done and does nothing.
            _registration.Dispose();
            _registration = default;
            Message message = _message!;
            ISendOutcome? outcome = _outcome;
            _message = null;
            _target = null;
            _outcome = null;
            _token = default;
            if (error is null)
            {
                outcome?.Sent(message, used);
                _core.SetResult(true);
            }
            else
            {
                outcome?.Failed(message);
                _core.SetException(error);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);

        public void GetResult(short token)
        {
            try
            {
                _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                owner.ReturnWaiter(this);
            }
        }
    }
}

/// <summary>What a sender does once <see cref="SendWaiters.SendAsync"/> has given its message to a pipe, or once that send failed.</summary>
internal interface ISendOutcome
{
    /// <summary>The message went to <paramref name="pipe"/> (null: the target dropped it, e.g. a reply whose pipe is gone); called before the send completes.</summary>
    void Sent(Message message, Pipe? pipe);

    /// <summary>The send failed (closed, canceled); called before the failure is thrown.</summary>
    void Failed(Message message);
}
