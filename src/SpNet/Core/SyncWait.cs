using System.Runtime.CompilerServices;

namespace SpNet.Core;

/// <summary>
/// Blocks the calling thread on a <see cref="ValueTask"/> without <c>AsTask()</c>: one event and one cached
/// continuation per thread, reused for every wait, so a blocking <c>Send</c>/<c>Receive</c> allocates nothing.
/// While <see cref="Scope"/> is open on a thread, waiters created there may complete inline (the continuation only
/// sets this thread's event: no user code runs on the completing thread, and there is no thread-pool hop).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One per thread, for the thread's lifetime; the event's handle is created only if a wait blocks and is reclaimed by finalization.")]
internal sealed class SyncWait
{
    [ThreadStatic]
    private static SyncWait? t_current;

    [ThreadStatic]
    private static bool t_inScope;

    private readonly ManualResetEventSlim _done = new(false);
    private readonly Action _signal;

    private SyncWait() => _signal = _done.Set;

    /// <summary>True while the current thread is starting an operation it will block on.</summary>
    public static bool InScope => t_inScope;

    /// <summary>Marks the start of an operation the current thread will block on (see <see cref="InScope"/>).</summary>
    public static Scope Enter()
    {
        t_inScope = true;
        return default;
    }

    public static T Wait<T>(ValueTask<T> pending)
    {
        if (pending.IsCompleted)
        {
            return pending.GetAwaiter().GetResult();
        }
        SyncWait self = t_current ??= new SyncWait();
        self._done.Reset();
        ConfiguredValueTaskAwaitable<T>.ConfiguredValueTaskAwaiter awaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(self._signal);
        self._done.Wait();
        return awaiter.GetResult();
    }

    public static void Wait(ValueTask pending)
    {
        if (pending.IsCompleted)
        {
            pending.GetAwaiter().GetResult();
            return;
        }
        SyncWait self = t_current ??= new SyncWait();
        self._done.Reset();
        ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter awaiter = pending.ConfigureAwait(false).GetAwaiter();
        awaiter.UnsafeOnCompleted(self._signal);
        self._done.Wait();
        awaiter.GetResult();
    }

    /// <summary>Closes the scope opened by <see cref="Enter"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => t_inScope = false;
    }
}
