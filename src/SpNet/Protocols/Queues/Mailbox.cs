using System.Threading.Tasks.Sources;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// One context's incoming messages: a small bounded queue plus its waiting receivers. Unlike a channel it can
/// fail the current waiters without closing (a survey deadline, a new survey), and a receiver that has to wait
/// reuses one cached awaitable, so a context's steady request/reply loop allocates nothing here.
/// </summary>
internal sealed class Mailbox(int capacity)
{
    private readonly object _gate = new();
    private readonly Queue<Message> _messages = new();
    private readonly List<Waiter> _waiters = [];
    private Waiter? _cached;
    private int _capacity = Math.Max(1, capacity);
    private bool _closed;

    /// <summary>Most messages held; a full mailbox drops the newest or the oldest, as the caller asks.</summary>
    public int Capacity
    {
        get => _capacity;
        set => _capacity = Math.Max(1, value);
    }

    /// <summary>Messages waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>
    /// Hands the message to a waiting receiver or queues it. When full, <paramref name="dropOldest"/> discards the
    /// oldest queued message, otherwise the new one. Returns false when a message was discarded (the caller counts it).
    /// <paramref name="whileLocked"/> (with <paramref name="state"/>) runs under the mailbox lock once the message is
    /// placed, so a <see cref="TakeAsync"/> check sees the caller's state change and the message together, never one
    /// without the other.
    /// </summary>
    public bool Post(Message message, bool dropOldest, Action<object?>? whileLocked = null, object? state = null)
    {
        Waiter? waiter = null;
        Message? discarded = null;
        lock (_gate)
        {
            if (_closed)
            {
                discarded = message;
            }
            else if (_waiters.Count > 0)
            {
                waiter = _waiters[0];
                _waiters.RemoveAt(0);
                waiter.Pending = false;
            }
            else if (_messages.Count >= _capacity)
            {
                if (dropOldest)
                {
                    discarded = _messages.Dequeue();
                    _messages.Enqueue(message);
                }
                else
                {
                    discarded = message;
                }
            }
            else
            {
                _messages.Enqueue(message);
            }
            whileLocked?.Invoke(state);
        }
        if (waiter is not null)
        {
            waiter.Complete(message, null);
        }
        discarded?.Dispose();
        return discarded is null;
    }

    /// <summary>Takes a message if one is queued.</summary>
    public bool TryTake(out Message? message)
    {
        lock (_gate)
        {
            return _messages.TryDequeue(out message);
        }
    }

    /// <summary>
    /// Takes the next message, waiting if none is queued. <paramref name="check"/> runs under the mailbox lock when
    /// nothing is queued and may throw to refuse the wait (e.g. no survey outstanding); pass a static lambda and
    /// its <paramref name="state"/> so that nothing is allocated.
    /// </summary>
    public ValueTask<Message> TakeAsync(CancellationToken cancellationToken, Action<object?>? check = null, object? state = null)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_messages.TryDequeue(out Message? ready))
            {
                return ValueTask.FromResult(ready);
            }
            if (_closed)
            {
                ThrowHelper.ThrowClosed("socket");
            }
            check?.Invoke(state);
            cancellationToken.ThrowIfCancellationRequested();
            waiter = _cached ?? new Waiter(this);
            _cached = null;
            waiter.Reset();
            waiter.Pending = true;
            _waiters.Add(waiter);
            if (cancellationToken.CanBeCanceled)
            {
                // Inside the lock, so no completion can run before the registration is recorded (a racing
                // cancellation runs its callback here, re-entering the lock, and fails this wait at once).
                waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
            }
        }
        return new ValueTask<Message>(waiter, waiter.Version);
    }

    /// <summary>Fails every waiting receiver with <paramref name="error"/> (they see <see cref="SpNetException"/>); queued messages stay.</summary>
    public void FailWaiters(SpError error, string detail)
    {
        Waiter[] failed;
        lock (_gate)
        {
            if (_waiters.Count == 0)
            {
                return;
            }
            failed = [.. _waiters];
            _waiters.Clear();
            foreach (Waiter w in failed)
            {
                w.Pending = false;
            }
        }
        foreach (Waiter w in failed)
        {
            w.Complete(null, new SpNetException(error, detail));
        }
    }

    /// <summary>Discards every queued message.</summary>
    public void Clear()
    {
        while (TryTake(out Message? m))
        {
            m!.Dispose();
        }
    }

    /// <summary>Fails waiters with Closed, frees the queue and refuses further messages. Idempotent.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
        }
        FailWaiters(SpError.Closed, "socket is closed");
        Clear();
    }

    private void Recycle(Waiter waiter) => Interlocked.CompareExchange(ref _cached, waiter, null);

    /// <summary>
    /// A receiver's reusable awaitable; reused only after a completion that no cancellation can race. It completes
    /// from a thread-pool work item that is the waiter itself, so the receiver never runs on the poster's thread
    /// (a read loop, under the caller's locks), and queueing that work allocates nothing whatever the continuation
    /// (the core's own asynchronous dispatch wraps any continuation but an async method's box in a new work item).
    /// </summary>
    private sealed class Waiter(Mailbox owner) : IValueTaskSource<Message>, IThreadPoolWorkItem
    {
        private ManualResetValueTaskSourceCore<Message> _core = new() { RunContinuationsAsynchronously = false };
        private bool _reusable;
        private DeferredCompletion<Message> _outcome;

        public bool Pending;
        public CancellationTokenRegistration Registration;

        public short Version => _core.Version;

        public void Reset()
        {
            _core.Reset();
            _reusable = false;
            Registration = default;
        }

        public void Complete(Message? message, Exception? error)
        {
            // Unregister first: once Dispose returns no cancellation callback can run against a reused waiter.
            Registration.Dispose();
            _reusable = true;
            Dispatch(message, error);
        }

        public void Cancel(CancellationToken token)
        {
            lock (owner._gate)
            {
                if (!Pending)
                {
                    return;
                }
                Pending = false;
                owner._waiters.Remove(this);
            }
            _reusable = false; // completed from inside its own callback: never reuse
            Dispatch(null, new OperationCanceledException(token));
        }

        private void Dispatch(Message? message, Exception? error)
        {
            _outcome.Set(message, error);
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }

        void IThreadPoolWorkItem.Execute() => _outcome.CompleteInto(ref _core);

        public Message GetResult(short token)
        {
            bool reuse = _reusable;
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                if (reuse)
                {
                    owner.Recycle(this);
                }
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
