using System.Runtime.CompilerServices;
using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// REP: fair-queues requests from every REQ peer. Receiving a request saves its backtrace (the routing tags and
/// the pipe it came on); the next send is the reply, which carries that backtrace and goes only to that pipe.
/// If the pipe is gone by then the reply is discarded silently, as in every SP implementation.
/// </summary>
internal sealed class Rep(SocketStatistics statistics, int receiveCapacity) : ProtocolBase(ProtocolIds.Rep, statistics)
{
    private readonly object _gate = new();
    private readonly ReceiveQueue _requests = new(receiveCapacity);
    private readonly byte[] _backtrace = new byte[4 * 16];
    private int _backtraceLength;
    private Pipe? _replyTo;
    private bool _hasRequest;
    private int _maxTtl = Backtrace.DefaultMaxTtl;

    /// <summary>Largest number of routing tags accepted (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => _maxTtl;
        set => _maxTtl = value is >= 1 and <= 15 ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 15");
    }

    public override bool AddPipe(Pipe pipe) => true;

    public override void RemovePipe(Pipe pipe)
    {
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        switch (Backtrace.Extract(message, _maxTtl))
        {
            case BacktraceResult.Ok:
                return _requests.EnqueueAsync(message);
            case BacktraceResult.TooManyHops:
                Drop(message);
                return ValueTask.CompletedTask;
            default:
                message.Dispose();
                Statistics.RecordProtocolError();
                pipe.Close(SpError.Protocol, "request without a request id (no tag with bit 31 set)");
                return ValueTask.CompletedTask;
        }
    }

    public override bool TryReceive(out Message? message)
    {
        if (!_requests.TryDequeue(out message))
        {
            return false;
        }
        Accept(message!);
        return true;
    }

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken)
    {
        ValueTask<Message> pending = _requests.DequeueAsync(cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(Accept(pending.Result));
        }
        return Slow(pending);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        async ValueTask<Message> Slow(ValueTask<Message> p) => Accept(await p.ConfigureAwait(false));
    }

    public override bool TrySend(Message message)
    {
        Pipe? pipe = TakeRoute(message);
        if (pipe is null || pipe.IsClosed)
        {
            Drop(message); // the requester is gone: nobody to answer
            return true;
        }
        if (pipe.TrySend(message))
        {
            return true;
        }
        Restore(message, pipe);
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        Pipe? pipe = TakeRoute(message);
        if (pipe is null || pipe.IsClosed)
        {
            Drop(message);
            return;
        }
        try
        {
            await pipe.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (SpNetException ex) when (ex.Error == SpError.Closed)
        {
            Drop(message); // closed while we waited for room
        }
        catch
        {
            Restore(message, pipe);
            throw;
        }
    }

    public override void Close() => _requests.Close();

    /// <summary>Saves the request's backtrace as the route for the next reply and hands the body to the caller.</summary>
    private Message Accept(Message request)
    {
        lock (_gate)
        {
            request.Header.CopyTo(_backtrace);
            _backtraceLength = request.HeaderLength;
            _replyTo = request.Pipe;
            _hasRequest = true;
        }
        request.ClearHeader();
        request.Pipe = null;
        return request;
    }

    /// <summary>Consumes the saved route: puts the backtrace on the reply and returns the pipe to use.</summary>
    private Pipe? TakeRoute(Message reply)
    {
        lock (_gate)
        {
            if (!_hasRequest)
            {
                ThrowHelper.ThrowState("no request to reply to: receive a request first");
            }
            _hasRequest = false;
            reply.ClearHeader();
            reply.AppendHeader(_backtrace.AsSpan(0, _backtraceLength));
            Pipe? pipe = _replyTo;
            _replyTo = null;
            return pipe;
        }
    }

    /// <summary>A send that did not happen: put the route back so the caller can try again.</summary>
    private void Restore(Message reply, Pipe pipe)
    {
        lock (_gate)
        {
            if (!_hasRequest)
            {
                _hasRequest = true;
                _replyTo = pipe;
            }
        }
        reply.ClearHeader();
    }
}
