using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// SUB: keeps the messages whose body starts with a subscribed prefix (empty prefix = everything; no
/// subscription = nothing). Subscriptions are local: they never go on the wire. When the receive queue is full
/// the oldest message is dropped (counted), as NNG does, so a slow reader sees the newest data; with
/// <see cref="PreferNew"/> off the new message is dropped instead. Raw mode does no filtering at all.
/// </summary>
internal sealed class Sub(SocketStatistics statistics, int receiveCapacity, bool raw = false) : ProtocolBase(ProtocolIds.Sub, statistics)
{
    private readonly ReceiveQueue _received = new(receiveCapacity);

    /// <summary>The subscribed prefixes.</summary>
    public SubscriptionSet Subscriptions { get; } = new();

    /// <summary>NNG's <c>sub:prefnew</c>: when the queue is full, true (default) drops the oldest message, false drops the new one.</summary>
    public bool PreferNew { get; set; } = true;

    public override bool IsRaw => raw;

    public override void SetReceiveBufferSize(int messages) => _received.Capacity = messages;

    public override bool AddPipe(Pipe pipe) => true;

    public override void RemovePipe(Pipe pipe)
    {
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (!raw && !Subscriptions.Matches(message.Body))
        {
            message.Dispose();
            return ValueTask.CompletedTask;
        }
        if (!PreferNew)
        {
            if (!_received.EnqueueDropNewest(message))
            {
                Statistics.RecordDropped();
            }
            return ValueTask.CompletedTask;
        }
        int dropped = _received.EnqueueDropOldest(message);
        for (int i = 0; i < dropped; i++)
        {
            Statistics.RecordDropped();
        }
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => _received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _received.DequeueAsync(cancellationToken);

    public override void Close() => _received.Close();
}
