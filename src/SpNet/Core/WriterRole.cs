using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace SpNet.Core;

/// <summary>
/// The right to touch a connection's send side: whoever holds it (the write loop, or a sender writing inline) is the
/// only writer, so inline writes never interleave with the loop's and per-pipe order holds. Senders only ever try to
/// take it; the write loop may wait for it. A flag rather than a semaphore: a semaphore hands a released role to the
/// queued write loop before that loop runs, so while the loop waited for a core no sender could flush; here the role
/// goes to whoever takes it first. The one waiter is reused, so waiting allocates nothing.
/// </summary>
internal sealed class WriterRole : IValueTaskSource
{
    private int _held;
    private int _armed;
    private ManualResetValueTaskSourceCore<bool> _freed = new() { RunContinuationsAsynchronously = true };

    /// <summary>Takes the role if nobody holds it.</summary>
    public bool TryAcquire() => Volatile.Read(ref _held) == 0 && Interlocked.CompareExchange(ref _held, 1, 0) == 0;

    /// <summary>Gives the role back and wakes the waiter, if one waits.</summary>
    public void Release()
    {
        // Full fences here and in AcquireAsync: either this sees the waiter armed, or the waiter sees the role free.
        Interlocked.Exchange(ref _held, 0);
        if (Volatile.Read(ref _armed) != 0 && Interlocked.Exchange(ref _armed, 0) != 0)
        {
            _freed.SetResult(true);
        }
    }

    /// <summary>Takes the role, waiting while someone holds it. One caller at a time (the write loop).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AcquireAsync()
    {
        while (!TryAcquire())
        {
            _freed.Reset();
            Interlocked.Exchange(ref _armed, 1);
            bool taken = TryAcquire();
            if (taken && Interlocked.Exchange(ref _armed, 0) != 0)
            {
                return; // disarmed before any releaser saw the waiter: nothing will complete it
            }
            // Either still waiting, or a releaser disarmed it and completes it: consume the completion in both cases,
            // so that the next Reset never races a SetResult.
            await new ValueTask(this, _freed.Version).ConfigureAwait(false);
            if (taken)
            {
                return;
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _freed.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _freed.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _freed.OnCompleted(continuation, state, token, flags);
}
