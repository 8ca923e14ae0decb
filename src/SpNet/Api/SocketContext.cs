using SpNet.Internal;
using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// An independent request/reply (or survey) state machine on a socket: its own request id, resend timer, survey
/// deadline or saved backtrace, sharing the socket's connections. Many contexts let one socket keep thousands of
/// requests in flight, or let several workers each answer one request at a time (as NNG's <c>nng_ctx</c>).
/// This is the I/O every context has; <c>OpenContext()</c> returns the protocol's own kind with its options:
/// <see cref="ReqContext"/>, <see cref="RepContext"/>, <see cref="SurveyorContext"/>, <see cref="RespondentContext"/>
/// or <see cref="SubContext"/> (a subscriber with its own subscriptions and queue). Raw sockets have none.
/// </summary>
/// <remarks>
/// Thread-safe, but like NNG a context is one state machine: run one send/receive cycle at a time on it.
/// Message ownership follows <see cref="Socket.SendAsync(Message, CancellationToken)"/>. Disposing fails the
/// context's pending operations with <see cref="SpError.Closed"/>; closing the socket ends every context.
/// </remarks>
public abstract class SocketContext : IAsyncDisposable, IDisposable
{
    private static readonly Option<SocketContext, TimeSpan> s_receiveTimeout = new(OptionNames.ReceiveTimeout, OptionKind.Timeout,
        c => c._io.ReceiveTimeout, (c, v) => c._io.ReceiveTimeout = v);

    private static readonly Option<SocketContext, TimeSpan> s_sendTimeout = new(OptionNames.SendTimeout, OptionKind.Timeout,
        c => c._io.SendTimeout, (c, v) => c._io.SendTimeout = v);

    private readonly IProtocolContext _context;
    private readonly MessageIo _io;
    private readonly IOptionTable _options;
    private int _closed;

    /// <param name="socket">The socket the context belongs to.</param>
    /// <param name="context">The protocol's side of the context.</param>
    /// <param name="options">The context type's option table; null for the timeouts only.</param>
    private protected SocketContext(Socket socket, IProtocolContext context, IOptionTable? options = null)
    {
        Socket = socket;
        _context = context;
        _options = options ?? CommonOptions;
        _io = new MessageIo(context, ThrowIfClosed)
        {
            SendTimeout = socket.SendTimeout,
            ReceiveTimeout = socket.ReceiveTimeout,
        };
    }

    /// <summary>The socket this context belongs to.</summary>
    public Socket Socket { get; }

    /// <summary>How long a send may wait; starts as the socket's <see cref="Socket.SendTimeout"/>. On expiry <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan SendTimeout { get => s_sendTimeout.Get(this); set => s_sendTimeout.Set(this, value); }

    /// <summary>How long a receive may wait; starts as the socket's <see cref="Socket.ReceiveTimeout"/>. On expiry <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan ReceiveTimeout { get => s_receiveTimeout.Get(this); set => s_receiveTimeout.Set(this, value); }

    /// <summary>The options every context has (NNG's context options: the two timeouts); a context type adds its own.</summary>
    private protected static OptionTable<SocketContext> CommonOptions { get; } = new([s_receiveTimeout, s_sendTimeout]);

    /// <summary>True after dispose.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Sends a copy of <paramref name="body"/> on this context (a request, a survey, or the reply to the request it holds).</summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        => _io.SendAsync(body, cancellationToken);

    /// <summary>Sends <paramref name="message"/> on this context. On success SpNet owns it; on an exception the caller still does.</summary>
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken = default)
        => _io.SendAsync(message, cancellationToken);

    /// <summary>Receives this context's next message (a reply, an answer, or a request to answer). The caller owns it.</summary>
    public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken = default)
        => _io.ReceiveAsync(cancellationToken);

    /// <summary>Sends a copy of <paramref name="body"/> only if that needs no waiting. Returns false when it would block.</summary>
    /// <exception cref="SpNetException">Closed, or a state error such as a REP context without a request.</exception>
    public bool TrySend(ReadOnlySpan<byte> body)
        => _io.TrySend(body);

    /// <summary>Sends <paramref name="message"/> only if that needs no waiting. On true SpNet owns it; on false the caller still does.</summary>
    public bool TrySend(Message message)
        => _io.TrySend(message);

    /// <summary>
    /// Receives messages until the context or socket closes, or until <see cref="ReceiveTimeout"/> passes with no
    /// message (either ends the enumeration without an exception), as <see cref="Socket.ReceiveAllAsync"/>. Each message
    /// is the caller's to dispose.
    /// </summary>
    public IAsyncEnumerable<Message> ReceiveAllAsync(CancellationToken cancellationToken = default)
        => _io.ReceiveAllAsync(cancellationToken);

    /// <summary>Takes a message if one is ready, without waiting.</summary>
    public bool TryReceive([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Message? message)
        => _io.TryReceive(out message);

    /// <summary>Blocking form of <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> (for scripts and tools).</summary>
    public void Send(ReadOnlySpan<byte> body)
        => _io.Send(body);

    /// <summary>Blocking form of <see cref="SendAsync(Message, CancellationToken)"/>.</summary>
    public void Send(Message message)
        => _io.Send(message);

    /// <summary>Blocking form of <see cref="ReceiveAsync"/>.</summary>
    public Message Receive()
        => _io.Receive();

    /// <summary>
    /// Sets a context option by its NNG name (<c>nng_ctx_set</c>): <c>recv-timeout</c> and <c>send-timeout</c> on every
    /// context, plus the context type's own (<c>req:resend-time</c>, <c>surveyor:survey-time</c>, <c>sub:subscribe</c>,
    /// <c>sub:unsubscribe</c>, <c>sub:prefnew</c>). Values and checks as <see cref="Socket.SetOption(string, object)"/>.
    /// </summary>
    /// <exception cref="SpNetException">
    /// <see cref="SpError.NotSupported"/> for a name this context does not know; <see cref="SpError.BadType"/> for a
    /// value of the wrong type; <see cref="SpError.InvalidArgument"/> for one out of range.
    /// </exception>
    public void SetOption(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!_options.TrySet(this, name, value))
        {
            throw UnknownOption(name);
        }
    }

    /// <summary>Reads a context option by its NNG name (<c>nng_ctx_get</c>); see <see cref="SetOption(string, object)"/>.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> for a name this context does not know; <see cref="SpError.WriteOnly"/> for <c>sub:subscribe</c>.</exception>
    public object GetOption(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _options.TryGet(this, name, out object value) ? value : throw UnknownOption(name);
    }

    /// <summary>Closes the context: its pending operations fail with <see cref="SpError.Closed"/>, its request or survey is abandoned. Idempotent.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _context.Close();
        }
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private SpNetException UnknownOption(string name) =>
        new(SpError.NotSupported, $"option '{name}' is not supported by {Socket.ProtocolName} contexts");

    /// <summary>Fails a call on a closed context or socket.</summary>
    private protected void ThrowIfClosed()
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
}
