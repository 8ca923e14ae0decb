using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// BUS (0x70): a message goes to every directly connected peer; a peer whose queue is full misses it (counted)
/// and sending never waits. Nothing received is forwarded, so a message reaches only the sender's direct
/// neighbours, never the sender itself. No header on the wire. Raw (device) mode: a received message's header
/// is the 4-byte id of the local pipe it came on, and a send whose header starts with a pipe id skips that pipe,
/// so a one-socket reflector does not echo a message back to its sender.
/// </summary>
internal sealed class Bus(SocketStatistics statistics, int receiveCapacity, bool raw) : ProtocolBase(ProtocolIds.Bus, statistics)
{
    private readonly Fanout _pipes = new();
    private readonly ReceiveQueue _received = new(receiveCapacity);
    private volatile bool _closed;

    public override bool IsRaw => raw;

    public override void SetReceiveBufferSize(int messages) => _received.Capacity = messages;

    public override bool AddPipe(Pipe pipe)
    {
        _pipes.Add(pipe);
        return true;
    }

    public override void RemovePipe(Pipe pipe) => _pipes.Remove(pipe);

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        message.ClearHeader();
        if (raw)
        {
            message.AppendHeaderUInt32(pipe.Id);
        }
        return _received.EnqueueAsync(message);
    }

    public override bool TrySend(Message message)
    {
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
        uint skip = raw && message.HeaderLength >= 4 ? message.TrimHeaderUInt32() : 0;
        message.ClearHeader();
        _pipes.Send(message, Statistics, exceptId: skip);
        return true;
    }

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        TrySend(message);
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => _received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _received.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _closed = true;
        _received.Close();
    }
}
