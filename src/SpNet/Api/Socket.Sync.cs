using SpNet.Core;
using SpNet.Internal;

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
            SyncWait.Wait(sent);
        }
    }

    /// <summary>Blocking form of <see cref="ReceiveAsync"/>, honouring <see cref="ReceiveTimeout"/>. The caller owns the result.</summary>
    /// <remarks>Waits on a per-thread event that the delivering pipe sets directly: no allocation and no thread-pool hop.</remarks>
    public Message Receive()
    {
        ThrowIfClosed();
        if (Protocol.TryReceive(out Message? message))
        {
            return message!;
        }
        TimeSpan timeout = _receiveTimeout;
        if (timeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("receive");
        }
        CancellationTokenSource? cts = timeout == Timeout.InfiniteTimeSpan ? null : RentTimeout(timeout, default);
        try
        {
            ValueTask<Message> pending;
            using (SyncWait.Enter())
            {
                pending = Protocol.ReceiveAsync(cts?.Token ?? default);
            }
            return SyncWait.Wait(pending);
        }
        catch (OperationCanceledException) when (cts is not null)
        {
            ThrowHelper.ThrowTimedOut("receive");
            return null!;
        }
        finally
        {
            if (cts is not null)
            {
                ReturnTimeout(cts, default);
            }
        }
    }
}
