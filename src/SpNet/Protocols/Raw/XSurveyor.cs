using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols.Raw;

/// <summary>
/// Raw SURVEYOR (device mode): no ids, no deadline. A sent message goes, header and body unchanged, to every pipe
/// (a full pipe misses it, counted: the same best-effort fan-out as PUB's); an answer's tags up to the bit-31 id become
/// its header.
/// </summary>
internal sealed class XSurveyor(SocketStatistics statistics, int receiveCapacity) : ProtocolBase(ProtocolIds.Surveyor, statistics), IHopLimited
{
    private readonly ReceiveQueue _answers = new(receiveCapacity);
    private readonly Fanout _pipes = new();
    private int _maxTtl = Backtrace.DefaultMaxTtl;
    private volatile bool _closed;

    public override bool IsRaw => true;

    public int MaxTtl
    {
        get => _maxTtl;
        set => _maxTtl = Backtrace.CheckTtl(value);
    }

    public override bool AddPipe(Pipe pipe)
    {
        _pipes.Add(pipe);
        return true;
    }

    public override void RemovePipe(Pipe pipe) => _pipes.Remove(pipe);

    /// <summary>Bounds the answer queue; when it is full the pipes wait (backpressure).</summary>
    public override void SetReceiveBufferSize(int messages) => _answers.Capacity = messages;

    public override ValueTask DeliverAsync(Pipe pipe, Message message) =>
        Backtrace.ExtractOrReject(pipe, message, _maxTtl, Statistics) ? _answers.EnqueueAsync(message) : ValueTask.CompletedTask;

    public override bool TrySend(Message message)
    {
        if (_closed)
        {
            throw new SpNetException(SpError.Closed, "socket is closed");
        }
        _pipes.Send(message, Statistics);
        return true;
    }

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => _answers.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _answers.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _closed = true;
        _answers.Close();
    }
}
