using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// REP, and RESPONDENT (the same rules with a survey id): fair-queues requests from every peer. Receiving a
/// request saves its backtrace (<c>[arrival pipe id][tags…]</c>, as <see cref="ReplyRouter"/> stamped it) in the
/// receiving context; that context's next send is the reply, which carries the tags and goes only to that pipe.
/// If the pipe is gone by then the reply is discarded silently, as in every SP implementation. Contexts share the
/// request queue, so several workers can each hold a request and answer it independently.
/// </summary>
internal sealed partial class Rep : ProtocolBase, IContextProtocol, IHopLimited
{
    private readonly ReplyRouter _router;
    private readonly ReplyContext _default;
    private readonly SendWaiters _senders = new();

    public Rep(ProtocolInfo info, SocketStatistics statistics, int receiveCapacity) : base(info, statistics)
    {
        _router = new ReplyRouter(statistics, receiveCapacity);
        _default = new ReplyContext(this, ownsCancellation: false);
    }

    public Rep(SocketStatistics statistics, int receiveCapacity) : this(ProtocolIds.Rep, statistics, receiveCapacity)
    {
    }

    /// <summary>Largest number of routing tags accepted (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => _router.MaxTtl;
        set => _router.MaxTtl = value;
    }

    public IProtocolContext OpenContext() => new ReplyContext(this, ownsCancellation: true);

    /// <summary>Bounds the shared request queue; when it is full the pipes wait (backpressure), as NNG's rep0.</summary>
    public override void SetReceiveBufferSize(int messages) => _router.Requests.Capacity = messages;

    public override bool AddPipe(Pipe pipe)
    {
        _router.Add(pipe);
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        _router.Remove(pipe);
        _senders.OnWritable(); // replies waiting for this pipe find it closed and are dropped
    }

    public override void OnPipeWritable(Pipe pipe) => _senders.OnWritable();

    public override ValueTask DeliverAsync(Pipe pipe, Message message) => _router.DeliverAsync(pipe, message);

    public override bool TryReceive(out Message? message) => _default.TryReceive(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _default.ReceiveAsync(cancellationToken);

    public override bool TrySend(Message message) => _default.TrySend(message);

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken) => _default.SendAsync(message, cancellationToken);

    public override void Close()
    {
        _router.Close();
        _senders.Close();
    }

    /// <summary>One worker's request/reply state: the backtrace of the request it holds.</summary>
    private sealed partial class ReplyContext(Rep owner, bool ownsCancellation) : IProtocolContext, ISendTarget, ISendOutcome
    {
        private readonly object _gate = new();
        private readonly CancellationTokenSource? _closing = ownsCancellation ? new CancellationTokenSource() : null;
        private byte[] _backtrace = new byte[4 * (Backtrace.MaxMaxTtl + 1)];
        private int _backtraceLength;
        private bool _hasRequest;
        private bool _closed;

        public bool TryReceive(out Message? message)
        {
            ThrowIfClosed();
            if (!owner._router.Requests.TryDequeue(out message))
            {
                return false;
            }
            Accept(message!);
            return true;
        }

        public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken)
        {
            ThrowIfClosed();
            if (owner._router.Requests.TryDequeue(out Message? ready))
            {
                return ValueTask.FromResult(Accept(ready!));
            }
            return WaitAsync(cancellationToken);
        }

        public bool TrySend(Message message)
        {
            ThrowIfClosed();
            Pipe? pipe = TakeRoute(message);
            if (pipe is null || pipe.IsClosed)
            {
                owner.Drop(message); // the requester is gone: nobody to answer
                return true;
            }
            if (pipe.TrySend(message))
            {
                return true;
            }
            Restore(message);
            return false;
        }

        /// <summary>The pipe a waiting reply must take (one reply per context at a time).</summary>
        private Pipe? _replyPipe;

        public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
        {
            ThrowIfClosed();
            Pipe? pipe = TakeRoute(message);
            if (pipe is null || pipe.IsClosed)
            {
                owner.Drop(message);
                return ValueTask.CompletedTask;
            }
            if (pipe.TrySend(message))
            {
                return ValueTask.CompletedTask;
            }
            _replyPipe = pipe;
            return owner._senders.SendAsync(message, this, this, cancellationToken);
        }

        /// <summary>A waiting reply's retry: its pipe took it, or is gone and the reply is dropped (nobody to answer).</summary>
        bool ISendTarget.TrySend(Message message, out Pipe? used)
        {
            Pipe pipe = _replyPipe!;
            used = null;
            if (pipe.IsClosed)
            {
                owner.Drop(message);
                return true;
            }
            if (pipe.TrySend(message))
            {
                used = pipe;
                return true;
            }
            return false;
        }

        void ISendOutcome.Sent(Message message, Pipe? pipe) => _replyPipe = null;

        void ISendOutcome.Failed(Message message)
        {
            _replyPipe = null;
            Restore(message);
        }

        public void Close()
        {
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }
                _closed = true;
                _hasRequest = false;
            }
            _closing?.Cancel();
            _closing?.Dispose();
        }

        /// <summary>This context's receive that has to wait, kept for reuse (a context has one receive at a time).</summary>
        private ReceiveWait? _spareWait;

        private ValueTask<Message> WaitAsync(CancellationToken cancellationToken)
        {
            if (_closing is not null && cancellationToken.CanBeCanceled)
            {
                return WaitLinkedAsync(cancellationToken);
            }
            ValueTask<Message> inner = owner._router.Requests.DequeueAsync(_closing?.Token ?? cancellationToken);
            if (inner.IsCompleted)
            {
                try
                {
                    return ValueTask.FromResult(Accept(inner.Result));
                }
                catch (OperationCanceledException) when (_closing is not null && _closing.IsCancellationRequested)
                {
                    throw new SpNetException(SpError.Closed, "context is closed");
                }
            }
            ReceiveWait wait = Interlocked.Exchange(ref _spareWait, null) ?? new ReceiveWait(this);
            return wait.Start(inner);
        }

        /// <summary>A receive with the caller's own token as well as the context's close: one linked source per call.</summary>
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        private async ValueTask<Message> WaitLinkedAsync(CancellationToken cancellationToken)
        {
            CancellationToken closing = _closing!.Token;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closing);
            try
            {
                return Accept(await owner._router.Requests.DequeueAsync(linked.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (closing.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new SpNetException(SpError.Closed, "context is closed");
            }
        }

        private void ThrowIfClosed()
        {
            if (Volatile.Read(ref _closed))
            {
                throw new SpNetException(SpError.Closed, "context is closed");
            }
        }

        /// <summary>Saves the request's backtrace as this context's route and hands the body to the caller.</summary>
        private Message Accept(Message request)
        {
            lock (_gate)
            {
                if (request.HeaderLength > _backtrace.Length)
                {
                    _backtrace = new byte[request.HeaderLength];
                }
                request.Header.CopyTo(_backtrace);
                _backtraceLength = request.HeaderLength;
                _hasRequest = true;
            }
            request.ClearHeader();
            request.Pipe = null;
            return request;
        }

        /// <summary>Consumes the saved route: puts the tags on the reply and returns the pipe to use.</summary>
        private Pipe? TakeRoute(Message reply)
        {
            lock (_gate)
            {
                if (!_hasRequest)
                {
                    throw new SpNetException(SpError.IncorrectState, "no request to reply to: receive a request first");
                }
                _hasRequest = false;
                reply.ClearHeader();
                reply.AppendHeader(_backtrace.AsSpan(0, _backtraceLength));
            }
            return owner._router.TakeRoute(reply);
        }

        /// <summary>A send that did not happen: put the route back so the caller can try again.</summary>
        private void Restore(Message reply)
        {
            lock (_gate)
            {
                _hasRequest = !_closed; // the saved backtrace is still there
            }
            reply.ClearHeader();
        }
    }
}
