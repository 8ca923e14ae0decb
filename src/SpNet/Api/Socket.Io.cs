using System.Runtime.CompilerServices;
using SpNet.Internal;

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
    {
        Message message = Message.Create(body.Span);
        ValueTask sent;
        try
        {
            sent = SendAsync(message, cancellationToken);
        }
        catch
        {
            message.Dispose();
            throw;
        }
        return sent.IsCompletedSuccessfully ? sent : DisposeOnFailure(sent, message);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        static async ValueTask DisposeOnFailure(ValueTask pending, Message m)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch
            {
                m.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="message"/>. On success SpNet owns it (do not touch or dispose it); on an exception the caller still owns it.
    /// </summary>
    /// <exception cref="SpNetException">See <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (Protocol.TrySend(message))
        {
            return ValueTask.CompletedTask;
        }
        if (_sendTimeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("send");
        }
        return _sendTimeout == Timeout.InfiniteTimeSpan
            ? Protocol.SendAsync(message, cancellationToken)
            : SendWithTimeoutAsync(message, _sendTimeout, cancellationToken);
    }

    /// <summary>
    /// Receives the next message, waiting up to <see cref="ReceiveTimeout"/>. The caller owns the result and should dispose it.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/>, <see cref="SpError.Closed"/>, <see cref="SpError.NotSupported"/> (e.g. PUSH), <see cref="SpError.IncorrectState"/> (e.g. REQ without a request).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (Protocol.TryReceive(out Message? message))
        {
            return ValueTask.FromResult(message!);
        }
        if (_receiveTimeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("receive");
        }
        return _receiveTimeout == Timeout.InfiniteTimeSpan
            ? Protocol.ReceiveAsync(cancellationToken)
            : ReceiveWithTimeoutAsync(_receiveTimeout, cancellationToken);
    }

    /// <summary>Sends a copy of <paramref name="body"/> only if that needs no waiting. Returns false when it would block.</summary>
    /// <exception cref="SpNetException">Closed, or a state error such as REP without a request.</exception>
    public bool TrySend(ReadOnlySpan<byte> body)
    {
        ThrowIfClosed();
        Message message = Message.Create(body);
        if (Protocol.TrySend(message))
        {
            return true;
        }
        message.Dispose();
        return false;
    }

    /// <summary>Sends <paramref name="message"/> only if that needs no waiting. On true SpNet owns it; on false the caller still does.</summary>
    public bool TrySend(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfClosed();
        return Protocol.TrySend(message);
    }

    /// <summary>Takes a message if one is ready, without waiting.</summary>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message? message)
    {
        ThrowIfClosed();
        return Protocol.TryReceive(out message);
    }

    /// <summary>
    /// Receives messages until the socket closes, or until <see cref="ReceiveTimeout"/> passes with no message: either
    /// ends the enumeration without an exception, so <c>await foreach</c> falls through. With the default infinite
    /// <see cref="ReceiveTimeout"/> only a close ends it. Canceling <paramref name="cancellationToken"/> throws
    /// <see cref="OperationCanceledException"/>. Each message is the caller's to dispose.
    /// </summary>
    /// <exception cref="SpNetException">A state error such as <see cref="SpError.IncorrectState"/> (REQ without a request) or <see cref="SpError.NotSupported"/> (PUSH).</exception>
    public async IAsyncEnumerable<Message> ReceiveAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
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

    /// <summary>
    /// One timeout source kept for reuse, taken with <see cref="Interlocked.Exchange{T}(ref T, T)"/> (as Socket.Tasks.cs
    /// caches its event args): a wait with a timeout and no caller token arms it with CancelAfter and, unless it fired,
    /// puts it back after <see cref="CancellationTokenSource.TryReset"/>, which succeeds only if the timer never ran,
    /// so a late cancel can never reach a reused source. A caller token still gets a linked source per call.
    /// </summary>
    private CancellationTokenSource? _spareTimeout;

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
            await Protocol.SendAsync(message, cts.Token).ConfigureAwait(false);
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

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Message> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        CancellationTokenSource cts = RentTimeout(timeout, cancellationToken);
        try
        {
            return await Protocol.ReceiveAsync(cts.Token).ConfigureAwait(false);
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
}
