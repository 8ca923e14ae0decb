using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PULL: fair-queues messages from every PUSH peer into one receive queue; a full queue makes the pipes wait
/// (backpressure reaches the pushers through TCP).
/// </summary>
/// <remarks>Raw mode is the same: PULL has no header.</remarks>
internal sealed class Pull(SocketStatistics statistics, int receiveCapacity, bool raw = false) : ProtocolBase(ProtocolIds.Pull, statistics)
{
    private readonly ReceiveQueue _received = new(receiveCapacity);

    public override bool IsRaw => raw;

    public override void SetReceiveBufferSize(int messages) => _received.Capacity = messages;

    public override ValueTask DeliverAsync(Pipe pipe, Message message) => _received.EnqueueAsync(message);

    public override bool TryReceive(out Message? message) => _received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _received.DequeueAsync(cancellationToken);

    public override void Close() => _received.Close();
}
