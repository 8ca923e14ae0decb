using System.Runtime.CompilerServices;
using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// The one implementation of send and receive behind <see cref="Socket"/> and <see cref="SocketContext"/>: message
/// ownership on failure, the Zero / finite / infinite timeouts, the blocking forms on <see cref="SyncWait"/>, and a
/// reused timeout source, over a protocol context (a socket's protocol is its default context).
/// </summary>
internal sealed class MessageIo(IProtocolContext port, Action throwIfClosed)
{
    private TimeSpan _sendTimeout = Timeout.InfiniteTimeSpan;
    private TimeSpan _receiveTimeout = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// One timeout source kept for reuse, taken with <see cref="Interlocked.Exchange{T}(ref T, T)"/>: a wait with a
    /// timeout and no caller token arms it with CancelAfter and, unless it fired, puts it back after
    /// <see cref="CancellationTokenSource.TryReset"/>, which succeeds only if the timer never ran, so a late cancel can
    /// never reach a reused source. A caller token still gets a linked source per call.
    /// </summary>
    private CancellationTokenSource? _spareTimeout;

    /// <summary>One timed wait kept for reuse, so a context's steady send/receive loop with timeouts allocates nothing.</summary>
    private TimedWait? _spareWait;

    public TimeSpan SendTimeout { get => _sendTimeout; set => _sendTimeout = CheckTimeout(value); }

    public TimeSpan ReceiveTimeout { get => _receiveTimeout; set => _receiveTimeout = CheckTimeout(value); }

    public ValueTask SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        throwIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        Message message = Message.Create(body.Span);
        bool sent;
        try
        {
            sent = port.TrySend(message);
        }
        catch
        {
            message.Dispose();
            throw;
        }
        if (sent)
        {
            return ValueTask.CompletedTask;
        }
        TimeSpan timeout = _sendTimeout;
        if (timeout == TimeSpan.Zero)
        {
            message.Dispose();
            ThrowHelper.ThrowTimedOut("send");
        }
        // One wait for the room, the timeout and the copy's disposal on failure, with no async method around it
        // (see TimedWait).
        return SendWaitingAsync(message, null, timeout, cancellationToken);
    }

    /// <summary>
    /// Sends the caller's message through the shell <see cref="Message.BeginSend"/> moves it into, so the caller's
    /// reference is inert from here on: on success it stays so (any use throws), on failure it gets its contents back.
    /// </summary>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        throwIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (TrySendOwn(message, out Message inFlight))
        {
            return ValueTask.CompletedTask;
        }
        TimeSpan timeout = _sendTimeout;
        if (timeout == TimeSpan.Zero)
        {
            message.AbortSend(inFlight);
            ThrowHelper.ThrowTimedOut("send");
        }
        return SendWaitingAsync(inFlight, message, timeout, cancellationToken);
    }

    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken)
    {
        throwIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (port.TryReceive(out Message? message))
        {
            return ValueTask.FromResult(message!);
        }
        TimeSpan timeout = _receiveTimeout;
        if (timeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("receive");
        }
        return timeout == Timeout.InfiniteTimeSpan
            ? port.ReceiveAsync(cancellationToken)
            : ReceiveWithTimeoutAsync(timeout, cancellationToken);
    }

    public bool TrySend(ReadOnlySpan<byte> body)
    {
        throwIfClosed();
        Message message = Message.Create(body);
        if (port.TrySend(message))
        {
            return true;
        }
        message.Dispose();
        return false;
    }

    public bool TrySend(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        throwIfClosed();
        if (TrySendOwn(message, out Message inFlight))
        {
            return true;
        }
        message.AbortSend(inFlight);
        return false;
    }

    /// <summary>
    /// Offers the caller's message, moved into <paramref name="inFlight"/>, without waiting. True: it is the socket's.
    /// False: <paramref name="inFlight"/> still holds it, to wait with or to give back (<see cref="Message.AbortSend"/>).
    /// </summary>
    private bool TrySendOwn(Message message, out Message inFlight)
    {
        inFlight = message.BeginSend();
        bool sent;
        try
        {
            sent = port.TrySend(inFlight);
        }
        catch
        {
            message.AbortSend(inFlight);
            throw;
        }
        if (sent)
        {
            message.EndSend();
        }
        return sent;
    }

    public bool TryReceive(out Message? message)
    {
        throwIfClosed();
        return port.TryReceive(out message);
    }

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

    public void Send(Message message)
    {
        ValueTask sent = SendAsync(message, default);
        if (!sent.IsCompletedSuccessfully)
        {
            SyncWait.Wait(sent);
        }
    }

    /// <summary>Waits on a per-thread event that the delivering pipe sets directly: no allocation and no thread-pool hop.</summary>
    public Message Receive()
    {
        throwIfClosed();
        if (port.TryReceive(out Message? message))
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
                pending = port.ReceiveAsync(cts?.Token ?? default);
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

    public async IAsyncEnumerable<Message> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            Message message;
            try
            {
                message = await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SpNetException ex) when (ex.Error is SpError.Closed or SpError.TimedOut)
            {
                yield break;
            }
            yield return message;
        }
    }

    private CancellationTokenSource RentTimeout(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource cts = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : Interlocked.Exchange(ref _spareTimeout, null) ?? new CancellationTokenSource();
        cts.CancelAfter(timeout);
        return cts;
    }

    internal void ReturnTimeout(CancellationTokenSource cts, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled && cts.TryReset())
        {
            Volatile.Write(ref _spareTimeout, cts);
            return;
        }
        cts.Dispose();
    }

    /// <summary>
    /// Waits for room to send <paramref name="inFlight"/>: a copy this front made of the caller's bytes
    /// (<paramref name="caller"/> null; disposed if the send fails) or the shell of the caller's message (see
    /// <see cref="Message.SettleSend"/>).
    /// </summary>
    private ValueTask SendWaitingAsync(Message inFlight, Message? caller, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource? cts = timeout == Timeout.InfiniteTimeSpan ? null : RentTimeout(timeout, cancellationToken);
        ValueTask inner;
        try
        {
            inner = port.SendAsync(inFlight, cts?.Token ?? cancellationToken);
        }
        catch
        {
            Message.SettleSend(inFlight, caller, sent: false);
            if (cts is not null)
            {
                ReturnTimeout(cts, cancellationToken);
            }
            throw;
        }
        return inner.IsCompleted ? Finish(inner, cts, inFlight, caller, cancellationToken) : RentWait().Send(inner, cts, inFlight, caller, cancellationToken);
    }

    private ValueTask<Message> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource cts = RentTimeout(timeout, cancellationToken);
        ValueTask<Message> inner;
        try
        {
            inner = port.ReceiveAsync(cts.Token);
        }
        catch
        {
            ReturnTimeout(cts, cancellationToken);
            throw;
        }
        if (!inner.IsCompleted)
        {
            return RentWait().Receive(inner, cts, cancellationToken);
        }
        try
        {
            return ValueTask.FromResult(inner.Result);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowHelper.ThrowTimedOut("receive");
            return default;
        }
        finally
        {
            ReturnTimeout(cts, cancellationToken);
        }
    }

    /// <summary>A send that completed at once: the same outcome as <see cref="TimedWait"/> gives one that waited.</summary>
    private ValueTask Finish(ValueTask inner, CancellationTokenSource? cts, Message inFlight, Message? caller, CancellationToken cancellationToken)
    {
        try
        {
            inner.GetAwaiter().GetResult();
            Message.SettleSend(inFlight, caller, sent: true);
            return ValueTask.CompletedTask;
        }
        catch (OperationCanceledException) when (cts is not null && !cancellationToken.IsCancellationRequested)
        {
            Message.SettleSend(inFlight, caller, sent: false);
            ThrowHelper.ThrowTimedOut("send");
            return default;
        }
        catch
        {
            Message.SettleSend(inFlight, caller, sent: false);
            throw;
        }
        finally
        {
            if (cts is not null)
            {
                ReturnTimeout(cts, cancellationToken);
            }
        }
    }

    /// <summary>The kept <see cref="TimedWait"/>, or a new one if it is in use (a socket's concurrent callers).</summary>
    private TimedWait RentWait() => Interlocked.Exchange(ref _spareWait, null) ?? new TimedWait(this);

    /// <summary>Called by a <see cref="TimedWait"/> once its result was read: nothing refers to it any more.</summary>
    internal void ReturnWait(TimedWait wait) => Volatile.Write(ref _spareWait, wait);

    private static TimeSpan CheckTimeout(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan || value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "a timeout is zero, positive or infinite");
}
