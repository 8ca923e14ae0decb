using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols.Raw;

/// <summary>
/// Raw REP and raw RESPONDENT (device mode): no request state. A received message's header is
/// <c>[local pipe id][tags up to the bit-31 tag]</c>; a sent message's header must start with a pipe id, which picks
/// the pipe, and the rest of the header goes out unchanged before the body. Unknown pipe, short header or a full
/// queue: the message is dropped (counted), never waited for.
/// </summary>
internal sealed class XRep(ProtocolInfo info, SocketStatistics statistics, int receiveCapacity) : ProtocolBase(info, statistics), IHopLimited
{
    private readonly ReplyRouter _router = new(statistics, receiveCapacity);

    public override bool IsRaw => true;

    public int MaxTtl
    {
        get => _router.MaxTtl;
        set => _router.MaxTtl = value;
    }

    public override bool AddPipe(Pipe pipe)
    {
        _router.Add(pipe);
        return true;
    }

    public override void RemovePipe(Pipe pipe) => _router.Remove(pipe);

    /// <summary>Bounds the request queue; when it is full the pipes wait (backpressure).</summary>
    public override void SetReceiveBufferSize(int messages) => _router.Requests.Capacity = messages;

    public override ValueTask DeliverAsync(Pipe pipe, Message message) => _router.DeliverAsync(pipe, message);

    public override bool TrySend(Message message)
    {
        Pipe? pipe = _router.TakeRoute(message);
        if (pipe is null || !pipe.TrySend(message))
        {
            Drop(message);
        }
        return true;
    }

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => _router.Requests.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _router.Requests.DequeueAsync(cancellationToken);

    public override void Close() => _router.Close();
}
