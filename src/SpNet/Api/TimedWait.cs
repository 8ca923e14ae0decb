using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace SpNet;

/// <summary>
/// A send or receive with a timeout, waiting on the protocol's own wait: when that completes, the timeout source goes
/// back to its <see cref="MessageIo"/>, a cancellation by the timeout becomes TimedOut, and the message sent is
/// settled (<see cref="Message.SettleSend"/>: a copy made of the caller's bytes is disposed if the send failed; the
/// caller's own message is given back on failure and left inert on success). Written out by hand rather than as an async method because an async
/// method's box is pooled only in a small per-core cache: 1,000 REQ contexts each waiting with a timeout allocated
/// ~75 B per round trip in such boxes. Its <see cref="MessageIo"/> keeps one for reuse, so a context's
/// request/reply loop reuses the same one.
/// </summary>
internal sealed class TimedWait : IValueTaskSource, IValueTaskSource<Message>
{
    private readonly MessageIo _owner;
    private readonly Action _onInnerCompleted;

    // Continuations run inline: the inner wait completes from a thread-pool continuation (the protocols' waiters run
    // theirs asynchronously), never under a lock or on a read loop, so one hop is enough.
    private ManualResetValueTaskSourceCore<Message?> _core = new() { RunContinuationsAsynchronously = false };
    private ConfiguredValueTaskAwaitable<Message>.ConfiguredValueTaskAwaiter _receive;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _send;
    private bool _isSend;
    private CancellationTokenSource? _timeout;
    private CancellationToken _callerToken;
    private Message? _inFlight;
    private Message? _caller;

    public TimedWait(MessageIo owner)
    {
        _owner = owner;
        _onInnerCompleted = OnInnerCompleted;
    }

    /// <summary>Waits for <paramref name="inner"/>, a receive that <paramref name="timeout"/> cancels.</summary>
    public ValueTask<Message> Receive(ValueTask<Message> inner, CancellationTokenSource timeout, CancellationToken callerToken)
    {
        _isSend = false;
        _timeout = timeout;
        _callerToken = callerToken;
        _receive = inner.ConfigureAwait(false).GetAwaiter();
        _receive.UnsafeOnCompleted(_onInnerCompleted);
        return new ValueTask<Message>(this, _core.Version);
    }

    /// <summary>Waits for <paramref name="inner"/>, the send of <paramref name="inFlight"/> that <paramref name="timeout"/> (if any) cancels; settled as <see cref="Message.SettleSend"/> says.</summary>
    public ValueTask Send(ValueTask inner, CancellationTokenSource? timeout, Message inFlight, Message? caller, CancellationToken callerToken)
    {
        _isSend = true;
        _timeout = timeout;
        _callerToken = callerToken;
        _inFlight = inFlight;
        _caller = caller;
        _send = inner.ConfigureAwait(false).GetAwaiter();
        _send.UnsafeOnCompleted(_onInnerCompleted);
        return new ValueTask(this, _core.Version);
    }

    private void OnInnerCompleted()
    {
        Message? result = null;
        Exception? error = null;
        try
        {
            if (_isSend)
            {
                _send.GetResult();
            }
            else
            {
                result = _receive.GetResult();
            }
        }
        catch (OperationCanceledException) when (_timeout is not null && !_callerToken.IsCancellationRequested)
        {
            error = new SpNetException(SpError.TimedOut, _isSend ? "send timed out" : "receive timed out");
        }
        catch (Exception ex)
        {
            error = ex;
        }
        _send = default;
        _receive = default;
        if (_inFlight is not null)
        {
            // Before the caller continues, so it meets its message settled.
            Message.SettleSend(_inFlight, _caller, sent: error is null);
        }
        _inFlight = null;
        _caller = null;
        CancellationTokenSource? timeout = _timeout;
        _timeout = null;
        if (timeout is not null)
        {
            // Back before the caller continues, so its next call can reuse it.
            _owner.ReturnTimeout(timeout, _callerToken);
        }
        _callerToken = default;
        if (error is null)
        {
            _core.SetResult(result);
        }
        else
        {
            _core.SetException(error);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    Message IValueTaskSource<Message>.GetResult(short token) => GetResult(token)!;

    private Message? GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            _owner.ReturnWait(this);
        }
    }
}
