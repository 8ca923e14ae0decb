using System.Threading.Tasks.Sources;
using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

internal sealed partial class LoadBalancer
{
    /// <summary>
    /// One waiting send: the sender's awaitable, and the loop that retries it. It links itself into the owner's list
    /// before each retry (so a wake-up between the retry and the wait is not lost); a wake-up or a cancellation
    /// that claims it queues one retry, or, if a retry is running, asks it to go round again, so at most one retry
    /// runs at a time and only the retry completes the send. Kept for reuse by later senders once its result is read.
    /// </summary>
    private sealed class SendWaiter(LoadBalancer owner) : WaiterNode<SendWaiter>, IValueTaskSource, IThreadPoolWorkItem
    {
        private static readonly Action<object?, CancellationToken> s_onCanceled = static (state, _) => ((SendWaiter)state!).OnCanceled();

        // Continuations run inline: the send completes only in Run, on the sender's own thread before it awaits or
        // on a thread-pool work item, never under a lock or on a pipe's write loop.
        private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = false };
        private Message? _message;
        private ISendOutcome? _outcome;
        private CancellationToken _token;
        private CancellationTokenRegistration _registration;

        // Guarded by the owner's lock.
        private bool _running;
        private bool _retryAgain;
        private bool _canceled;
        private bool _done;

        /// <summary>Starts retrying <paramref name="message"/>; the returned task completes once a pipe took it or the send failed.</summary>
        public ValueTask Start(Message message, ISendOutcome? outcome, CancellationToken cancellationToken)
        {
            _message = message;
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
                    sent = owner.TrySend(_message!, out used);
                }
                catch (Exception ex)
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
                    Finish(null, ex);
                    return;
                }
                if (sent)
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

        /// <summary>Ends the send. Nothing may touch this waiter after the completion: its continuation may reuse it.</summary>
        private void Finish(Pipe? used, Exception? error)
        {
            // Dispose waits out a cancellation callback already running; it then sees _done and does nothing.
            _registration.Dispose();
            _registration = default;
            Message message = _message!;
            ISendOutcome? outcome = _outcome;
            _message = null;
            _outcome = null;
            _token = default;
            if (error is null)
            {
                outcome?.Sent(message, used!);
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
