using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols.Raw;

/// <summary>
/// Raw SURVEYOR (device mode): no ids, no deadline. A sent message goes, header and body unchanged, to every pipe
/// (a full pipe misses it, counted: the same best-effort fan-out as PUB's); an answer's tags up to the bit-31 id become
/// its header.
/// </summary>
internal sealed class XSurveyor(SocketStatistics statistics, int receiveCapacity)
    : NeverWaitingProtocol(ProtocolIds.Surveyor, statistics, receiveCapacity), IHopLimited
{
    private readonly Fanout _pipes = new();
    private int _maxTtl = Backtrace.DefaultMaxTtl;

    public override bool IsRaw => true;

    public int MaxTtl
    {
        get => _maxTtl;
        set => _maxTtl = Backtrace.CheckTtl(value);
    }

    protected override IPipeSet Peers => _pipes;

    /// <summary>Answers wait in the received queue; when it is full the pipes wait (backpressure).</summary>
    public override ValueTask DeliverAsync(Pipe pipe, Message message) =>
        Backtrace.ExtractOrReject(pipe, message, _maxTtl, Statistics) ? Received.EnqueueAsync(message) : ValueTask.CompletedTask;

    public override bool TrySend(Message message)
    {
        ThrowIfClosed();
        _pipes.Send(message, Statistics);
        return true;
    }
}
