using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// BUS (0x70): a message goes to every directly connected peer; a peer whose queue is full misses it (counted)
/// and sending never waits. Nothing received is forwarded, so a message reaches only the sender's direct
/// neighbours, never the sender itself. No header on the wire. Raw (device) mode: a received message's header
/// is the 4-byte id of the local pipe it came on, and a send whose header starts with a pipe id skips that pipe,
/// so a one-socket reflector does not echo a message back to its sender.
/// </summary>
internal sealed class Bus(SocketStatistics statistics, int receiveCapacity, bool raw) : NeverWaitingProtocol(ProtocolIds.Bus, statistics, receiveCapacity)
{
    private readonly Fanout _pipes = new();

    public override bool IsRaw => raw;

    protected override IPipeSet Peers => _pipes;

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        message.ClearHeader();
        if (raw)
        {
            message.AppendHeaderUInt32(pipe.Id);
        }
        return Received.EnqueueAsync(message);
    }

    public override bool TrySend(Message message)
    {
        ThrowIfClosed();
        uint skip = raw && message.HeaderLength >= 4 ? message.TrimHeaderUInt32() : 0;
        message.ClearHeader();
        _pipes.Send(message, Statistics, exceptId: skip);
        return true;
    }
}
