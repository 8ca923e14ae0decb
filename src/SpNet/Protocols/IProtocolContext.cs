namespace SpNet.Protocols;

/// <summary>
/// One independent state machine of a protocol that supports contexts (REQ, REP, SURVEYOR, RESPONDENT, SUB): its
/// own request or survey, sharing the socket's pipes. The socket's own send and receive use a default one.
/// Same ownership rules as <see cref="IProtocol"/>.
/// </summary>
internal interface IProtocolContext
{
    bool TrySend(Message message);

    ValueTask SendAsync(Message message, CancellationToken cancellationToken);

    bool TryReceive(out Message? message);

    ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Fails this context's waiters with Closed and forgets its state. Idempotent.</summary>
    void Close();
}

/// <summary>A protocol that can open contexts.</summary>
internal interface IContextProtocol
{
    IProtocolContext OpenContext();
}
