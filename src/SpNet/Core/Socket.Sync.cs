namespace SpNet;

public abstract partial class Socket
{
    /// <summary>
    /// Blocking form of <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>, honouring <see cref="SendTimeout"/>.
    /// For scripts and tools: blocking a thread-pool thread starves the pool, so prefer the async form in services.
    /// </summary>
    public void Send(ReadOnlySpan<byte> body)
    {
        Message message = Message.Create(body);
        try
        {
            Send(message);
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    /// <summary>Blocking form of <see cref="SendAsync(Message, CancellationToken)"/>; same ownership rules.</summary>
    public void Send(Message message)
    {
        ValueTask sent = SendAsync(message);
        if (!sent.IsCompletedSuccessfully)
        {
            sent.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Blocking form of <see cref="ReceiveAsync"/>, honouring <see cref="ReceiveTimeout"/>. The caller owns the result.</summary>
    public Message Receive()
    {
        ValueTask<Message> received = ReceiveAsync();
        return received.IsCompletedSuccessfully ? received.Result : received.AsTask().GetAwaiter().GetResult();
    }
}
