using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PAIR v0: exactly one peer. A second connection completes the handshake and is then closed (NNG's EBUSY).
/// Sending waits while the peer is absent or its queue is full; receiving applies backpressure to the peer.
/// </summary>
/// <remarks>Raw mode is the same: PAIR0 has no header.</remarks>
internal sealed class Pair0(SocketStatistics statistics, int receiveCapacity, bool raw = false) : ProtocolBase(ProtocolIds.Pair0, statistics)
{
    private readonly SinglePeer _single = new();
    private readonly ReceiveQueue _received = new(receiveCapacity);

    public override bool IsRaw => raw;

    public override void SetReceiveBufferSize(int messages) => _received.Capacity = messages;

    public override bool AddPipe(Pipe pipe) => _single.TryAdd(pipe);

    public override void RemovePipe(Pipe pipe) => _single.Remove(pipe);

    public override ValueTask DeliverAsync(Pipe pipe, Message message) => _received.EnqueueAsync(message);

    public override void OnPipeWritable(Pipe pipe) => _single.Balancer.OnWritable();

    public override bool TrySend(Message message) => _single.Balancer.TrySend(message, out _);

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken) => _single.Balancer.SendAsync(message, cancellationToken);

    public override bool TryReceive(out Message? message) => _received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _received.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _single.Balancer.Close();
        _received.Close();
    }
}
