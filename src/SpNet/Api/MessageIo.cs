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
        // One state machine for the wait, the timeout and the copy's disposal on failure: a send that waits for room
        // suspends every async method it nests, and each suspension beyond the builders' small per-core cache
        // allocates a box (1,000 REQ contexts sending at once: a wrapper here cost ~15 % of what they allocated).
        return SendCopyAsync(message, timeout, cancellationToken);
    }

    public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        throwIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (port.TrySend(message))
        {
            return ValueTask.CompletedTask;
        }
        TimeSpan timeout = _sendTimeout;
        if (timeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("send");
        }
        return timeout == Timeout.InfiniteTimeSpan
            ? port.SendAsync(message, cancellationToken)
            : SendWithTimeoutAsync(message, timeout, cancellationToken);
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
        return port.TrySend(message);
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

    private void ReturnTimeout(CancellationTokenSource cts, CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled && cts.TryReset())
        {
            Volatile.Write(ref _spareTimeout, cts);
            return;
        }
        cts.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendWithTimeoutAsync(Message message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource cts = RentTimeout(timeout, cancellationToken);
        try
        {
            await port.SendAsync(message, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowHelper.ThrowTimedOut("send");
        }
        finally
        {
            ReturnTimeout(cts, cancellationToken);
        }
    }

    /// <summary>Sends a message this front created from the caller's bytes, disposing it if the send fails.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendCopyAsync(Message message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource? cts = timeout == Timeout.InfiniteTimeSpan ? null : RentTimeout(timeout, cancellationToken);
        try
        {
            await port.SendAsync(message, cts?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cts is not null && !cancellationToken.IsCancellationRequested)
        {
            message.Dispose();
            ThrowHelper.ThrowTimedOut("send");
        }
        catch
        {
            message.Dispose();
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Message> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource cts = RentTimeout(timeout, cancellationToken);
        try
        {
            return await port.ReceiveAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowHelper.ThrowTimedOut("receive");
            return null!;
        }
        finally
        {
            ReturnTimeout(cts, cancellationToken);
        }
    }

    private static TimeSpan CheckTimeout(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan || value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "a timeout is zero, positive or infinite");
}
