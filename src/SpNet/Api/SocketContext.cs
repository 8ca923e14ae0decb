using System.Text;
using SpNet.Internal;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// An independent request/reply (or survey) state machine on a socket: its own request id, resend timer, survey
/// deadline or saved backtrace, sharing the socket's connections. Many contexts let one socket keep thousands of
/// requests in flight, or let several workers each answer one request at a time (as NNG's <c>nng_ctx</c>).
/// Open one with <c>OpenContext()</c> on <see cref="ReqSocket"/>, <see cref="RepSocket"/>, <see cref="SurveyorSocket"/>,
/// <see cref="RespondentSocket"/> or <see cref="SubSocket"/> (a subscriber with its own subscriptions and queue); raw
/// sockets have none.
/// </summary>
/// <remarks>
/// Thread-safe, but like NNG a context is one state machine: run one send/receive cycle at a time on it.
/// Message ownership follows <see cref="Socket.SendAsync(Message, CancellationToken)"/>. Disposing fails the
/// context's pending operations with <see cref="SpError.Closed"/>; closing the socket ends every context.
/// </remarks>
public sealed class SocketContext : IAsyncDisposable, IDisposable
{
    private readonly IProtocolContext _context;
    private TimeSpan _sendTimeout;
    private TimeSpan _receiveTimeout;
    private int _closed;

    internal SocketContext(Socket socket, IProtocolContext context)
    {
        Socket = socket;
        _context = context;
        _sendTimeout = socket.SendTimeout;
        _receiveTimeout = socket.ReceiveTimeout;
    }

    /// <summary>The socket this context belongs to.</summary>
    public Socket Socket { get; }

    /// <summary>How long a send may wait; starts as the socket's <see cref="Socket.SendTimeout"/>. On expiry <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan SendTimeout { get => _sendTimeout; set => _sendTimeout = CheckTimeout(value); }

    /// <summary>How long a receive may wait; starts as the socket's <see cref="Socket.ReceiveTimeout"/>. On expiry <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan ReceiveTimeout { get => _receiveTimeout; set => _receiveTimeout = CheckTimeout(value); }

    /// <summary>True after dispose.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>REQ only: this context's resend interval (starts as the socket's <see cref="ReqSocket.ResendTime"/>).</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on other protocols.</exception>
    public TimeSpan ResendTime
    {
        get => _context is Req.ReqContext req ? req.ResendTime : throw NotSupported(nameof(ResendTime));
        set
        {
            if (_context is not Req.ReqContext req)
            {
                throw NotSupported(nameof(ResendTime));
            }
            req.ResendTime = value >= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }
    }

    /// <summary>SURVEYOR only: this context's survey time (starts as the socket's <see cref="SurveyorSocket.SurveyTime"/>).</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on other protocols.</exception>
    public TimeSpan SurveyTime
    {
        get => _context is Surveyor.SurveyContext s ? s.SurveyTime : throw NotSupported(nameof(SurveyTime));
        set
        {
            if (_context is not Surveyor.SurveyContext s)
            {
                throw NotSupported(nameof(SurveyTime));
            }
            s.SurveyTime = value;
        }
    }

    /// <summary>SUB only: subscribes this context to messages starting with <paramref name="prefix"/> (empty = all); other contexts are unaffected.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on other protocols; <see cref="SpError.Closed"/>.</exception>
    public void Subscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfClosed();
        SubContext(nameof(Subscribe)).Subscriptions.Add(prefix);
    }

    /// <summary>SUB only: subscribes this context to messages starting with the UTF-8 bytes of <paramref name="prefix"/>.</summary>
    public void Subscribe(string prefix) => Subscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>SUB only: removes one of this context's subscriptions; other contexts keep theirs.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NoEntry"/> when this context had not subscribed to it (as NNG); <see cref="SpError.NotSupported"/> on other protocols.</exception>
    public void Unsubscribe(ReadOnlySpan<byte> prefix)
    {
        ThrowIfClosed();
        if (!SubContext(nameof(Unsubscribe)).Subscriptions.Remove(prefix))
        {
            throw new SpNetException(SpError.NoEntry, "not subscribed to that prefix");
        }
    }

    /// <summary>SUB only: removes a subscription given as UTF-8 text.</summary>
    public void Unsubscribe(string prefix) => Unsubscribe(Encoding.UTF8.GetBytes(prefix ?? throw new ArgumentNullException(nameof(prefix))));

    /// <summary>
    /// SUB only: what this context's full queue does with a new message (NNG <c>sub:prefnew</c>, starts as the socket's
    /// <see cref="SubSocket.PreferNew"/>): true drops the oldest queued message, false the new one. Either is counted.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on other protocols.</exception>
    public bool PreferNew
    {
        get => SubContext(nameof(PreferNew)).PreferNew;
        set => SubContext(nameof(PreferNew)).PreferNew = value;
    }

    /// <summary>Sends a copy of <paramref name="body"/> on this context (a request, a survey, or the reply to the request it holds).</summary>
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

    /// <summary>Sends <paramref name="message"/> on this context. On success SpNet owns it; on an exception the caller still does.</summary>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (_context.TrySend(message))
        {
            return ValueTask.CompletedTask;
        }
        if (_sendTimeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("send");
        }
        return _sendTimeout == Timeout.InfiniteTimeSpan ? _context.SendAsync(message, cancellationToken) : SendWithTimeoutAsync(message, _sendTimeout, cancellationToken);
    }

    /// <summary>Receives this context's next message (a reply, an answer, or a request to answer). The caller owns it.</summary>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        cancellationToken.ThrowIfCancellationRequested();
        if (_context.TryReceive(out Message? message))
        {
            return ValueTask.FromResult(message!);
        }
        if (_receiveTimeout == TimeSpan.Zero)
        {
            ThrowHelper.ThrowTimedOut("receive");
        }
        return _receiveTimeout == Timeout.InfiniteTimeSpan ? _context.ReceiveAsync(cancellationToken) : ReceiveWithTimeoutAsync(_receiveTimeout, cancellationToken);
    }

    /// <summary>Takes a message if one is ready, without waiting.</summary>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message? message)
    {
        ThrowIfClosed();
        return _context.TryReceive(out message);
    }

    /// <summary>Blocking form of <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> (for scripts and tools).</summary>
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

    /// <summary>Blocking form of <see cref="SendAsync(Message, CancellationToken)"/>.</summary>
    public void Send(Message message)
    {
        ValueTask sent = SendAsync(message);
        if (!sent.IsCompletedSuccessfully)
        {
            sent.AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>Blocking form of <see cref="ReceiveAsync"/>.</summary>
    public Message Receive()
    {
        ValueTask<Message> received = ReceiveAsync();
        return received.IsCompletedSuccessfully ? received.Result : received.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Closes the context: its pending operations fail with <see cref="SpError.Closed"/>, its request or survey is abandoned. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _context.Close();
        }
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void ThrowIfClosed()
    {
        if (IsClosed)
        {
            ThrowHelper.ThrowClosed("context");
        }
        if (Socket.IsClosed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
    }

    private async ValueTask SendWithTimeoutAsync(Message message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await _context.SendAsync(message, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowHelper.ThrowTimedOut("send");
        }
    }

    private async ValueTask<Message> ReceiveWithTimeoutAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            return await _context.ReceiveAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowHelper.ThrowTimedOut("receive");
            return null!;
        }
    }

    private Sub.SubContext SubContext(string option) => _context as Sub.SubContext ?? throw NotSupported(option);

    private static SpNetException NotSupported(string option) => new(SpError.NotSupported, $"{option} does not apply to this protocol's contexts");

    private static TimeSpan CheckTimeout(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan || value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "a timeout is zero, positive or infinite");
}
