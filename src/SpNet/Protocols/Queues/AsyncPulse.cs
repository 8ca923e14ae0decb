using System.Threading.Tasks.Sources;

namespace SpNet.Protocols.Routing;

/// <summary>
/// "Something changed, try again": a waiter arms the pulse, retries its non-blocking operation, and only then waits
/// (or disarms, if the retry worked). A pulse with nobody armed costs one read; armed waiters are pooled, so waiting
/// allocates nothing (a TaskCompletionSource per pulse did: ~1 B per round trip of a REP socket whose read loop keeps
/// finding its receive queue full).
/// </summary>
internal sealed class AsyncPulse
{
    /// <summary>Most idle waiters kept; the waiters are read loops, one per pipe.</summary>
    private const int MaxSpareWaiters = 64;

    private readonly object _gate = new();
    private WaiterList<Waiter> _waiters; // guarded by _gate; its count is read without it
    private Waiter? _spares; // guarded by _gate, linked through Next
    private int _spareCount;

    /// <summary>Arms the pulse for one waiter. Call before retrying; then either <see cref="WaitAsync"/> or <see cref="Disarm"/>.</summary>
    public Waiter Arm()
    {
        lock (_gate)
        {
            Waiter waiter = _spares ?? new Waiter(this);
            if (_spares is not null)
            {
                _spares = waiter.Next;
                waiter.Next = null;
                _spareCount--;
            }
            // AddLast raises the count with a full fence: a pulse after our retry's read sees us armed.
            _waiters.AddLast(waiter);
            return waiter;
        }
    }

    /// <summary>Waits for the next pulse after <paramref name="waiter"/> was armed.</summary>
    public static ValueTask WaitAsync(Waiter waiter) => new(waiter, waiter.Version);

    /// <summary>Gives up an armed waiter whose retry succeeded; if a pulse already claimed it, its completion is consumed.</summary>
    public void Disarm(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Linked)
            {
                _waiters.Remove(waiter);
                waiter.ResetCore();
                ReturnLocked(waiter);
                return;
            }
        }
        waiter.Consume();
    }

    /// <summary>Wakes everyone armed. Callers make their change visible with a full fence before this (an interlocked operation).</summary>
    public void Pulse()
    {
        if (_waiters.Count == 0)
        {
            return;
        }
        lock (_gate)
        {
            while (_waiters.Head is { } waiter)
            {
                _waiters.Remove(waiter);
                waiter.Wake(); // only queues the waiter's continuation: cheap under the lock
            }
        }
    }

    private void Return(Waiter waiter)
    {
        lock (_gate)
        {
            ReturnLocked(waiter);
        }
    }

    private void ReturnLocked(Waiter waiter)
    {
        if (_spareCount < MaxSpareWaiters)
        {
            waiter.Next = _spares;
            _spares = waiter;
            _spareCount++;
        }
    }

    /// <summary>One armed waiter; completed only by the pulse that unlinks it, and reset before it is reused.</summary>
    internal sealed class Waiter(AsyncPulse owner) : WaiterNode<Waiter>, IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };

        public short Version => _core.Version;

        public void Wake() => _core.SetResult(true);

        public void ResetCore() => _core.Reset();

        /// <summary>Observes a completion nobody will await (the retry had succeeded) and returns the waiter.</summary>
        public void Consume()
        {
            _core.Reset();
            owner.Return(this);
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
                owner.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
