namespace SpNet;

/// <summary>
/// Running counters for one socket: traffic, pipes, and every reason a message or a connection was dropped.
/// Values are read without locks and may be a moment stale; they only ever grow.
/// </summary>
public sealed class SocketStatistics
{
    private long _messagesSent;
    private long _bytesSent;
    private long _messagesReceived;
    private long _bytesReceived;
    private long _messagesDropped;
    private long _pipesOpened;
    private long _pipesClosed;
    private long _pipesRejected;
    private long _protocolErrors;
    private long _oversizedMessages;
    private long _connectAttempts;
    private long _connectFailures;
    private long _handshakeFailures;
    private long _connectionErrors;

    /// <summary>Messages written to pipes.</summary>
    public long MessagesSent => Volatile.Read(ref _messagesSent);

    /// <summary>Bytes (header plus body, without framing) written to pipes.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Messages read from pipes.</summary>
    public long MessagesReceived => Volatile.Read(ref _messagesReceived);

    /// <summary>Bytes (header plus body, without framing) read from pipes.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Messages discarded by the protocol: a full queue (PUB), a stale reply, a malformed header, a SUB filter miss is not counted.</summary>
    public long MessagesDropped => Volatile.Read(ref _messagesDropped);

    /// <summary>Pipes that completed the handshake and were accepted.</summary>
    public long PipesOpened => Volatile.Read(ref _pipesOpened);

    /// <summary>Accepted pipes that have since closed.</summary>
    public long PipesClosed => Volatile.Read(ref _pipesClosed);

    /// <summary>Pipes refused after the handshake: wrong peer protocol, or the protocol had no room (PAIR0's second peer).</summary>
    public long PipesRejected => Volatile.Read(ref _pipesRejected);

    /// <summary>Pipes closed for violating the wire protocol (bad header, bad framing, malformed SP header).</summary>
    public long ProtocolErrors => Volatile.Read(ref _protocolErrors);

    /// <summary>Pipes closed because the peer announced a message over <see cref="Socket.MaxReceiveSize"/>.</summary>
    public long OversizedMessages => Volatile.Read(ref _oversizedMessages);

    /// <summary>Connection attempts made by dialers.</summary>
    public long ConnectAttempts => Volatile.Read(ref _connectAttempts);

    /// <summary>Dialer connection attempts that failed (refused, unreachable, handshake failure).</summary>
    public long ConnectFailures => Volatile.Read(ref _connectFailures);

    /// <summary>Connections that failed the SP handshake (garbage, timeout, closed early), on either side.</summary>
    public long HandshakeFailures => Volatile.Read(ref _handshakeFailures);

    /// <summary>Pipes lost to a transport failure: a reset, or the peer closing in the middle of a message.</summary>
    public long ConnectionErrors => Volatile.Read(ref _connectionErrors);

    /// <summary>Pipes open now.</summary>
    public long CurrentPipes => PipesOpened - PipesClosed;

    /// <inheritdoc />
    public override string ToString() =>
        $"pipes {CurrentPipes} open ({PipesOpened} opened, {PipesClosed} closed, {PipesRejected} rejected); " +
        $"sent {MessagesSent} msgs/{BytesSent} B; received {MessagesReceived} msgs/{BytesReceived} B; " +
        $"dropped {MessagesDropped}; protocol errors {ProtocolErrors}; oversized {OversizedMessages}; " +
        $"handshake failures {HandshakeFailures}; connection errors {ConnectionErrors}; connects {ConnectAttempts} ({ConnectFailures} failed)";

    internal void CountSent(int bytes)
    {
        Interlocked.Increment(ref _messagesSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    internal void CountReceived(int bytes)
    {
        Interlocked.Increment(ref _messagesReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void RecordDropped() => Interlocked.Increment(ref _messagesDropped);

    internal void RecordPipeOpened() => Interlocked.Increment(ref _pipesOpened);

    internal void RecordPipeClosed() => Interlocked.Increment(ref _pipesClosed);

    internal void RecordPipeRejected() => Interlocked.Increment(ref _pipesRejected);

    internal void RecordProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void RecordOversized() => Interlocked.Increment(ref _oversizedMessages);

    internal void RecordConnectAttempt() => Interlocked.Increment(ref _connectAttempts);

    internal void RecordConnectFailure() => Interlocked.Increment(ref _connectFailures);

    internal void RecordConnectionError() => Interlocked.Increment(ref _connectionErrors);

    internal void RecordHandshakeFailure() => Interlocked.Increment(ref _handshakeFailures);
}
