using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PUSH: each message goes to one peer with room, ready peers taking turns (round robin). With no peer, or all
/// full, a send waits (or times out). Whatever a PULL peer sends is discarded, as NNG does.
/// </summary>
/// <remarks>Raw mode is the same: PUSH has no header.</remarks>
internal sealed class Push(SocketStatistics statistics, bool raw = false) : ProtocolBase(ProtocolIds.Push, statistics)
{
    private readonly LoadBalancer _pipes = new();

    public override bool IsRaw => raw;

    protected override IPipeSet Peers => _pipes;

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        Drop(message);
        return ValueTask.CompletedTask;
    }

    public override void OnPipeWritable(Pipe pipe) => _pipes.OnWritable();

    public override bool TrySend(Message message) => _pipes.TrySend(message, out _);

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken) => _pipes.SendAsync(message, cancellationToken);

    public override void Close() => _pipes.Close();
}
