namespace SpNet.Protocols;

/// <summary>
/// One independent state machine of a protocol that supports contexts (REQ, REP, SURVEYOR, RESPONDENT, SUB): its
/// own request or survey, sharing the socket's pipes. The socket's own send and receive use a default one
/// (<see cref="IProtocol"/> is one).
/// </summary>
internal interface IProtocolContext
{
    /// <summary>Sends without waiting. True = sent (ownership taken). False = would block (the caller keeps the message). Throws for state errors.</summary>
    bool TrySend(Message message);

    /// <summary>Sends, waiting for room as the pattern requires. On success ownership is taken; on exception the caller keeps the message.</summary>
    ValueTask SendAsync(Message message, CancellationToken cancellationToken);

    /// <summary>Receives without waiting; throws for state errors.</summary>
    bool TryReceive(out Message? message);

    /// <summary>Receives, waiting for a message.</summary>
    ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken);

    /// <summary>Fails this context's waiters (the protocol's: every waiter) with Closed and frees what it holds. Idempotent.</summary>
    void Close();
}

/// <summary>A protocol that can open contexts.</summary>
internal interface IContextProtocol
{
    IProtocolContext OpenContext();
}
