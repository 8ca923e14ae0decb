using System.Runtime.CompilerServices;
using System.Buffers.Binary;
using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// REQ: one request outstanding at a time. Each request gets an id with bit 31 set, carried in the header; a
/// reply counts only if it echoes the current id. The request is sent again, with the same id and bytes, after
/// <see cref="ResendTime"/> without a reply, and at once when the pipe that carried it dies. A new request
/// abandons the old one (its late reply is dropped).
/// </summary>
internal sealed class Req : ProtocolBase, IDisposable
{
    private readonly object _gate = new();
    private readonly LoadBalancer _pipes = new();
    private readonly ReceiveQueue _replies = new(2);
    private readonly Timer _resendTimer;
    private uint _nextId = 0x80000000u | (uint)Random.Shared.Next();
    private uint _currentId;
    private bool _awaitingReply;
    private Message? _request;
    private Pipe? _sentOn;
    private bool _resendWhenPossible;
    private TimeSpan _resendTime = TimeSpan.FromMinutes(1);
    private volatile bool _closed;

    public Req(SocketStatistics statistics) : base(ProtocolIds.Req, statistics)
    {
        _resendTimer = new Timer(static s => ((Req)s!).OnResendTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Resend interval; <see cref="Timeout.InfiniteTimeSpan"/> or zero disables timed resends (pipe loss still resends).</summary>
    public TimeSpan ResendTime
    {
        get => _resendTime;
        set => _resendTime = value;
    }

    /// <summary>The id of the request in flight (for tests and diagnostics).</summary>
    internal uint CurrentId
    {
        get
        {
            lock (_gate)
            {
                return _currentId;
            }
        }
    }

    public override bool AddPipe(Pipe pipe)
    {
        _pipes.Add(pipe);
        RetryPendingResend();
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        _pipes.Remove(pipe);
        lock (_gate)
        {
            if (_awaitingReply && _sentOn == pipe)
            {
                // The pipe that carried the request is gone: its reply can never come, so resend at once.
                _sentOn = null;
                ResendLocked();
            }
        }
    }

    public override void OnPipeWritable(Pipe pipe)
    {
        _pipes.OnWritable();
        if (Volatile.Read(ref _resendWhenPossible))
        {
            RetryPendingResend();
        }
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (message.BodyLength < 4)
        {
            // NNG closes a pipe whose reply cannot even hold a request id.
            message.Dispose();
            Statistics.RecordProtocolError();
            pipe.Close(SpError.Protocol, "reply shorter than a request id");
            return ValueTask.CompletedTask;
        }
        uint id = BinaryPrimitives.ReadUInt32BigEndian(message.Body);
        lock (_gate)
        {
            if (!_awaitingReply || id != _currentId)
            {
                Drop(message); // stale or unknown: a reply to an abandoned request
                return ValueTask.CompletedTask;
            }
            _awaitingReply = false;
            FinishRequestLocked();
            // Queue the reply in the same step that clears _awaitingReply: a receive racing with this delivery
            // must see the request outstanding or its reply queued, never neither. (The channel completes
            // waiting readers asynchronously, so nothing runs under the lock.)
            message.TrimBodyUInt32();
            _replies.EnqueueDropOldest(message);
        }
        return ValueTask.CompletedTask;
    }

    public override bool TrySend(Message message)
    {
        PrepareRequest(message);
        if (_pipes.TrySend(message, out Pipe? pipe))
        {
            Sent(message, pipe!);
            return true;
        }
        Unprepare(message);
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        PrepareRequest(message);
        Pipe pipe;
        try
        {
            pipe = await _pipes.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Unprepare(message);
            throw;
        }
        Sent(message, pipe);
    }

    public override bool TryReceive(out Message? message)
    {
        if (_replies.TryDequeue(out message))
        {
            return true;
        }
        ThrowIfNoRequest();
        return false;
    }

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken)
    {
        ThrowIfNoRequest();
        return _replies.DequeueAsync(cancellationToken);
    }

    public override void Close()
    {
        _closed = true;
        _pipes.Close();
        _replies.Close();
        lock (_gate)
        {
            _awaitingReply = false;
            FinishRequestLocked();
        }
        _resendTimer.Dispose();
    }

    public void Dispose() => Close();

    private void ThrowIfNoRequest()
    {
        lock (_gate)
        {
            if (!_awaitingReply && !_closed && _replies.Count == 0)
            {
                ThrowHelper.ThrowState("no request is outstanding: send a request before receiving");
            }
        }
    }

    /// <summary>Gives the message a fresh id and makes it the current request, abandoning any earlier one.</summary>
    private void PrepareRequest(Message message)
    {
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
        lock (_gate)
        {
            FinishRequestLocked();
            _replies.Clear();
            _currentId = _nextId;
            _nextId = 0x80000000u | (_nextId + 1);
            message.ClearHeader();
            message.AppendHeaderUInt32(_currentId);
            message.AddReference(); // our reference, kept for resending
            _request = message;
            _awaitingReply = true;
        }
    }

    private void Sent(Message message, Pipe pipe)
    {
        lock (_gate)
        {
            if (_request == message)
            {
                _sentOn = pipe;
                ArmTimerLocked();
                if (pipe.IsClosed)
                {
                    // The pipe died between taking the request and our noting it: RemovePipe already ran and
                    // could not know, so resend now rather than after a whole ResendTime.
                    _sentOn = null;
                    ResendLocked();
                }
            }
        }
    }

    private void Unprepare(Message message)
    {
        lock (_gate)
        {
            if (_request == message)
            {
                _request = null;
                _awaitingReply = false;
                message.Dispose(); // drop our resend reference; the caller keeps theirs
            }
        }
        message.ClearHeader();
    }

    private void FinishRequestLocked()
    {
        _resendTimer.Change(Timeout.Infinite, Timeout.Infinite);
        _request?.Dispose();
        _request = null;
        _sentOn = null;
        Volatile.Write(ref _resendWhenPossible, false);
    }

    private void ArmTimerLocked()
    {
        if (_resendTime > TimeSpan.Zero && _resendTime != Timeout.InfiniteTimeSpan && !_closed)
        {
            _resendTimer.Change(_resendTime, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnResendTimer()
    {
        lock (_gate)
        {
            if (_awaitingReply && !_closed)
            {
                ResendLocked();
            }
        }
    }

    private void RetryPendingResend()
    {
        lock (_gate)
        {
            if (_resendWhenPossible && _awaitingReply && !_closed)
            {
                ResendLocked();
            }
        }
    }

    /// <summary>Queues the current request again on some pipe, or remembers to when one has room.</summary>
    private void ResendLocked()
    {
        Message? request = _request;
        if (request is null)
        {
            return;
        }
        request.AddReference();
        if (_pipes.TrySend(request, out Pipe? pipe))
        {
            _sentOn = pipe;
            Volatile.Write(ref _resendWhenPossible, false);
            ArmTimerLocked();
        }
        else
        {
            request.Dispose();
            Volatile.Write(ref _resendWhenPossible, true);
        }
    }
}
