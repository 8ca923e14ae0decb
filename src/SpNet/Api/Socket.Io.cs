namespace SpNet;

public abstract partial class Socket
{
    /// <summary>
    /// Sends a copy of <paramref name="body"/>. Waits, as the pattern requires, for room (PUSH, REQ, PAIR), up to
    /// <see cref="SendTimeout"/>. PUB never waits.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/>, <see cref="SpError.Closed"/>, <see cref="SpError.NotSupported"/> (e.g. PULL), <see cref="SpError.IncorrectState"/> (e.g. REP without a request).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        => _io.SendAsync(body, cancellationToken);

    /// <summary>
    /// Sends <paramref name="message"/>. On success SpNet owns it (do not touch or dispose it); on an exception the caller still owns it.
    /// </summary>
    /// <exception cref="SpNetException">See <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken = default)
        => _io.SendAsync(message, cancellationToken);

    /// <summary>
    /// Receives the next message, waiting up to <see cref="ReceiveTimeout"/>. The caller owns the result and should dispose it.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/>, <see cref="SpError.Closed"/>, <see cref="SpError.NotSupported"/> (e.g. PUSH), <see cref="SpError.IncorrectState"/> (e.g. REQ without a request).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default)
        => _io.ReceiveAsync(cancellationToken);

    /// <summary>Sends a copy of <paramref name="body"/> only if that needs no waiting. Returns false when it would block.</summary>
    /// <exception cref="SpNetException">Closed, or a state error such as REP without a request.</exception>
    public bool TrySend(ReadOnlySpan<byte> body)
        => _io.TrySend(body);

    /// <summary>Sends <paramref name="message"/> only if that needs no waiting. On true SpNet owns it; on false the caller still does.</summary>
    public bool TrySend(Message message)
        => _io.TrySend(message);

    /// <summary>Takes a message if one is ready, without waiting.</summary>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message? message)
        => _io.TryReceive(out message);

    /// <summary>
    /// Receives messages until the socket closes, or until <see cref="ReceiveTimeout"/> passes with no message: either
    /// ends the enumeration without an exception, so <c>await foreach</c> falls through. With the default infinite
    /// <see cref="ReceiveTimeout"/> only a close ends it. Canceling <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>. Each message is the caller's to dispose.
    /// </summary>
    /// <exception cref="SpNetException">A state error such as <see cref="SpError.IncorrectState"/> (REQ without a request) or <see cref="SpError.NotSupported"/> (PUSH).</exception>
    public IAsyncEnumerable<Message> ReceiveAllAsync(CancellationToken cancellationToken = default)
        => _io.ReceiveAllAsync(cancellationToken);

    /// <summary>
    /// Blocking form of <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, honouring <see cref="SendTimeout"/>.
    /// For scripts and tools: blocking a thread-pool thread starves the pool, so prefer the async form in services.
    /// </summary>
    public void Send(ReadOnlySpan<byte> body)
        => _io.Send(body);

    /// <summary>Blocking form of <see cref="SendAsync(Message, CancellationToken)"/>; same ownership rules.</summary>
    public void Send(Message message)
        => _io.Send(message);

    /// <summary>Blocking form of <see cref="ReceiveAsync"/>, honouring <see cref="ReceiveTimeout"/>. The caller owns the result.</summary>
    /// <remarks>Waits on a per-thread event that the delivering pipe sets directly: no allocation and no thread-pool hop.</remarks>
    public Message Receive()
        => _io.Receive();
}
