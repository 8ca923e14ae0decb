using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace SpNet.Protocols;

internal sealed partial class Rep
{
    private sealed partial class ReplyContext
    {
        /// <summary>
        /// A context's receive that waits for a request, written out by hand rather than as an async method: REP worker
        /// contexts wait at once in numbers (16 in the REQ/REP benchmark), past the async builder's small per-core
        /// cache, so each wait allocated a box. One is kept per context, which receives one request at a time.
        /// </summary>
        private sealed class ReceiveWait : IValueTaskSource<Message>
        {
            private readonly ReplyContext _context;
            private readonly Action _onInnerCompleted;

            // Inline: the queue's waiter completes from a thread-pool work item of its own, never under a lock.
            private ManualResetValueTaskSourceCore<Message> _core = new() { RunContinuationsAsynchronously = false };
            private ConfiguredValueTaskAwaitable<Message>.ConfiguredValueTaskAwaiter _inner;

            public ReceiveWait(ReplyContext context)
            {
                _context = context;
                _onInnerCompleted = OnInnerCompleted;
            }

            public ValueTask<Message> Start(ValueTask<Message> inner)
            {
                _inner = inner.ConfigureAwait(false).GetAwaiter();
                _inner.UnsafeOnCompleted(_onInnerCompleted);
                return new ValueTask<Message>(this, _core.Version);
            }

            private void OnInnerCompleted()
            {
                Message request;
                try
                {
                    request = _inner.GetResult();
                }
                catch (OperationCanceledException) when (_context._closing is { IsCancellationRequested: true })
                {
                    _inner = default;
                    _core.SetException(new SpNetException(SpError.Closed, "context is closed"));
                    return;
                }
                catch (Exception ex)
                {
                    _inner = default;
                    _core.SetException(ex);
                    return;
                }
                _inner = default;
                _core.SetResult(_context.Accept(request));
            }

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
                    _core.Reset();
                    Volatile.Write(ref _context._spareWait, this);
                }
            }
        }
    }
}
