using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// Defaults for the seam: every pipe is accepted (and kept in <see cref="Peers"/> where the pattern sends to its
/// peers alike), and a direction a pattern lacks fails with <see cref="SpError.NotSupported"/>.
/// </summary>
internal abstract class ProtocolBase(ProtocolInfo info, SocketStatistics statistics) : IProtocol
{
    public ProtocolInfo Info { get; } = info;

    public virtual bool IsRaw => false;

    protected SocketStatistics Statistics { get; } = statistics;

    /// <summary>
    /// The pipes a pattern that treats its peers alike sends to (PUSH, PUB, BUS, STAR, raw REQ and SURVEYOR); null for
    /// one that only receives (PULL, SUB). A pattern that chooses its peers (PAIR's one, REP's router) overrides
    /// <see cref="AddPipe"/> and <see cref="RemovePipe"/> instead.
    /// </summary>
    protected virtual IPipeSet? Peers => null;

    public virtual bool AddPipe(Pipe pipe)
    {
        Peers?.Add(pipe);
        return true;
    }

    public virtual void RemovePipe(Pipe pipe) => Peers?.Remove(pipe);

    public abstract ValueTask DeliverAsync(Pipe pipe, Message message);

    public virtual void OnPipeWritable(Pipe pipe)
    {
    }

    public virtual bool TrySend(Message message)
    {
        ThrowHelper.ThrowNotSupported($"{Info.SelfName} sockets cannot send");
        return false;
    }

    public virtual ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        ThrowHelper.ThrowNotSupported($"{Info.SelfName} sockets cannot send");
        return default;
    }

    public virtual bool TryReceive(out Message? message)
    {
        ThrowHelper.ThrowNotSupported($"{Info.SelfName} sockets cannot receive");
        message = null;
        return false;
    }

    public virtual ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken)
    {
        ThrowHelper.ThrowNotSupported($"{Info.SelfName} sockets cannot receive");
        return default;
    }

    public abstract void Close();

    /// <inheritdoc cref="IProtocol.SetReceiveBufferSize"/>
    public virtual void SetReceiveBufferSize(int messages)
    {
    }

    /// <summary>Frees a message the protocol will not deliver, and counts it.</summary>
    protected void Drop(Message message)
    {
        Statistics.RecordDropped();
        message.Dispose();
    }
}
