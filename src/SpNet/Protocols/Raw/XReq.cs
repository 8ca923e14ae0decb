using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols.Raw;

/// <summary>
/// Raw REQ (device mode): no ids, no resends. A sent message goes, header and body unchanged, to one pipe with room
/// (round robin, waiting for room like REQ); a received reply's tags up to the bit-31 id become its header.
/// </summary>
internal sealed class XReq(SocketStatistics statistics, int receiveCapacity) : ProtocolBase(ProtocolIds.Req, statistics), IHopLimited
{
    private readonly LoadBalancer _pipes = new();
    private readonly ReceiveQueue _replies = new(receiveCapacity);
    private int _maxTtl = Backtrace.DefaultMaxTtl;

    public override bool IsRaw => true;

    public int MaxTtl
    {
        get => _maxTtl;
        set => _maxTtl = Backtrace.CheckTtl(value);
    }

    protected override IPipeSet Peers => _pipes;

    /// <summary>Bounds the reply queue; when it is full the pipes wait (backpressure).</summary>
    public override void SetReceiveBufferSize(int messages) => _replies.Capacity = messages;

    public override void OnPipeWritable(Pipe pipe) => _pipes.OnWritable();

    public override ValueTask DeliverAsync(Pipe pipe, Message message) =>
        Backtrace.ExtractOrReject(pipe, message, _maxTtl, Statistics) ? _replies.EnqueueAsync(message) : ValueTask.CompletedTask;

    public override bool TrySend(Message message) => _pipes.TrySend(message, out _);

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken) => _pipes.SendAsync(message, cancellationToken);

    public override bool TryReceive(out Message? message) => _replies.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _replies.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _pipes.Close();
        _replies.Close();
    }
}
