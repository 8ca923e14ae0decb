namespace SpNet.Protocols.Routing;

/// <summary>
/// One timer for all of a socket's per-context deadlines (REQ resends, survey deadlines). Entries sit in a
/// priority queue at most once each: re-arming only moves the entry's own deadline and disarming only clears a
/// flag, so arming and cancelling cost no allocation; an entry that surfaces early is put back at its real time.
/// </summary>
internal sealed class DeadlineScheduler : IDisposable
{
    private readonly object _gate = new();
    private readonly PriorityQueue<Entry, long> _queue = new();
    private readonly Timer _timer;
    private long _timerDue = long.MaxValue;
    private bool _disposed;

    public DeadlineScheduler()
    {
        _timer = new Timer(static s => ((DeadlineScheduler)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Something with a deadline. <see cref="OnExpired"/> runs on a timer thread, outside every scheduler lock.</summary>
    internal abstract class Entry
    {
        internal long Deadline;
        internal bool Armed;
        internal bool Queued;
        internal long QueuedAt;

        /// <summary>The deadline passed while armed; the entry is disarmed already.</summary>
        public abstract void OnExpired();
    }

    private static long Now => Environment.TickCount64;

    /// <summary>(Re)arms <paramref name="entry"/> to expire after <paramref name="delay"/>.</summary>
    public void Arm(Entry entry, TimeSpan delay)
    {
        long deadline = Now + (long)Math.Ceiling(delay.TotalMilliseconds);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            entry.Deadline = deadline;
            entry.Armed = true;
            if (!entry.Queued || deadline < entry.QueuedAt)
            {
                // Not queued, or queued later than now wanted: (re)queue at the new time. A later copy left behind
                // is recognised by its stale priority and skipped when it surfaces.
                entry.Queued = true;
                entry.QueuedAt = deadline;
                _queue.Enqueue(entry, deadline);
            }
            ScheduleLocked(deadline);
        }
    }

    /// <summary>Disarms <paramref name="entry"/>; it stays queued until its old time and is then ignored.</summary>
    public void Disarm(Entry entry)
    {
        lock (_gate)
        {
            entry.Armed = false;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _queue.Clear();
        }
        _timer.Dispose();
    }

    private void ScheduleLocked(long deadline)
    {
        if (deadline < _timerDue)
        {
            _timerDue = deadline;
            _timer.Change(Math.Max(0, deadline - Now), Timeout.Infinite);
        }
    }

    private void OnTimer()
    {
        List<Entry>? expired = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _timerDue = long.MaxValue;
            long now = Now;
            while (_queue.TryPeek(out Entry? entry, out long due) && due <= now)
            {
                _queue.Dequeue();
                if (!entry.Queued || due != entry.QueuedAt)
                {
                    continue; // a stale copy
                }
                entry.Queued = false;
                if (!entry.Armed)
                {
                    continue;
                }
                if (entry.Deadline <= now)
                {
                    entry.Armed = false;
                    (expired ??= []).Add(entry);
                }
                else
                {
                    entry.Queued = true;
                    entry.QueuedAt = entry.Deadline;
                    _queue.Enqueue(entry, entry.Deadline);
                }
            }
            if (_queue.TryPeek(out _, out long next))
            {
                ScheduleLocked(next);
            }
        }
        if (expired is null)
        {
            return;
        }
        foreach (Entry entry in expired)
        {
            entry.OnExpired();
        }
    }
}
