using System.Threading.Tasks.Sources;
using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>
/// One receiver waiting on a <see cref="ReceiveQueue"/>: a reusable <see cref="IValueTaskSource{TResult}"/>, linked
/// into the queue's waiter list under the queue's lock. A writer hands it a message directly; cancellation or close
/// fail it. It goes back to its queue for reuse only in <see cref="GetResult"/>, after its cancellation registration
/// is disposed (which waits out a callback already running), so a late cancel can never reach a reused waiter.
/// </summary>
internal sealed class ReceiveWaiter : WaiterNode<ReceiveWaiter>, IValueTaskSource<Message>, IThreadPoolWorkItem
{
    private static readonly Action<object?, CancellationToken> s_onCanceled = OnCanceled;

    // Completions that must not run the receiver inline go through the waiter itself as a thread-pool work item:
    // the core's own asynchronous dispatch wraps any continuation but an async method's box in a new work item.
    private ManualResetValueTaskSourceCore<Message> _core = new() { RunContinuationsAsynchronously = false };
    private CancellationTokenRegistration _registration;
    private ReceiveQueue? _queue;
    private bool _inline;
    private DeferredCompletion<Message> _outcome;

    public short Version => _core.Version;

    /// <summary>
    /// Prepares a wait. A thread that will block on the result (<see cref="SyncWait"/>) gets an inline completion: its
    /// continuation only sets an event. Async callers keep asynchronous continuations, so user code never runs on a read loop.
    /// </summary>
    public void Start(ReceiveQueue queue)
    {
        _queue = queue;
        _inline = SyncWait.InScope;
    }

    /// <summary>Registers for cancellation; call after linking and outside the lock (an already-canceled token runs the callback here).</summary>
    public void Register(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(s_onCanceled, this);
        }
    }

    /// <summary>Completes a waiter that the caller has just unlinked (claimed) under the queue's lock. Call outside the lock.</summary>
    public void Complete(Message message) => Dispatch(message, null);

    /// <summary>Fails a claimed waiter. Call outside the lock.</summary>
    public void Fail(Exception error) => Dispatch(null, error);

    private void Dispatch(Message? message, Exception? error)
    {
        _outcome.Set(message, error);
        if (_inline)
        {
            Execute();
        }
        else
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: true);
        }
    }

    public void Execute() => _outcome.CompleteInto(ref _core);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    public Message GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _registration.Dispose();
            _registration = default;
            ReceiveQueue? queue = _queue;
            _queue = null;
            _core.Reset();
            queue?.ReturnWaiter(this);
        }
    }

    private static void OnCanceled(object? state, CancellationToken cancellationToken)
    {
        var waiter = (ReceiveWaiter)state!;
        if (waiter._queue is { } queue && queue.TryUnlink(waiter))
        {
            waiter.Fail(new OperationCanceledException(cancellationToken));
        }
    }
}
