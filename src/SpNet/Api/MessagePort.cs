using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// What a <see cref="Socket"/> and each of its contexts (<see cref="SocketContext"/>) have alike, as NNG's
/// <c>nng_socket</c> and <c>nng_ctx</c> do: send and receive (async, blocking and Try forms, <see cref="ReceiveAllAsync"/>),
/// the two timeouts, and options by NNG name through the type's one option table. A socket sends and receives on its
/// default context; a context on its own.
/// </summary>
/// <remarks>
/// Message ownership: after a successful send SpNet owns the message (do not touch or dispose it); after an exception
/// the caller still does. A received message is the caller's to dispose.
/// </remarks>
public abstract class MessagePort
{
    private static readonly Option<MessagePort, TimeSpan> s_receiveTimeout = new(OptionNames.ReceiveTimeout, OptionKind.Timeout,
        p => p._io.ReceiveTimeout, (p, v) => p._io.ReceiveTimeout = v);

    private static readonly Option<MessagePort, TimeSpan> s_sendTimeout = new(OptionNames.SendTimeout, OptionKind.Timeout,
        p => p._io.SendTimeout, (p, v) => p._io.SendTimeout = v);

    private readonly MessageIo _io;
    private readonly IOptionTable _options;

    /// <param name="port">The protocol context the I/O runs on (a socket's protocol is its default context).</param>
    /// <param name="options">The type's option table, which includes <see cref="PortOptions"/>.</param>
    private protected MessagePort(IProtocolContext port, IOptionTable options)
    {
        _io = new MessageIo(port, ThrowIfClosed);
        _options = options;
    }

    /// <summary>The options every socket and context has: the two timeouts (NNG_OPT_SENDTIMEO, NNG_OPT_RECVTIMEO).</summary>
    private protected static OptionTable<MessagePort> PortOptions { get; } = new([s_receiveTimeout, s_sendTimeout]);

    /// <summary>
    /// How long a send may wait for room (NNG_OPT_SENDTIMEO, <c>send-timeout</c>). <see cref="Timeout.InfiniteTimeSpan"/>
    /// (a socket's default) waits forever; a context starts with its socket's. On expiry a send throws
    /// <see cref="SpNetException"/> with <see cref="SpError.TimedOut"/>.
    /// </summary>
    public TimeSpan SendTimeout { get => s_sendTimeout.Get(this); set => s_sendTimeout.Set(this, value); }

    /// <summary>
    /// How long a receive may wait (NNG_OPT_RECVTIMEO, <c>recv-timeout</c>). A socket's default is infinite; a context
    /// starts with its socket's. On expiry <see cref="SpError.TimedOut"/>.
    /// </summary>
    public TimeSpan ReceiveTimeout { get => s_receiveTimeout.Get(this); set => s_receiveTimeout.Set(this, value); }

    /// <summary>What <see cref="SetOption"/>'s errors call the owner, e.g. <c>req sockets</c>.</summary>
    private protected abstract string OptionOwner { get; }

    /// <summary>
    /// Sends a copy of <paramref name="body"/>. Waits, as the pattern requires, for room (PUSH, REQ, PAIR), up to
    /// <see cref="SendTimeout"/>. PUB never waits. On a context: a request, a survey, or the reply to the request it holds.
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
    /// Receives messages until the socket (or context) closes, or until <see cref="ReceiveTimeout"/> passes with no
    /// message: either ends the enumeration without an exception, so <c>await foreach</c> falls through. With the
    /// default infinite <see cref="ReceiveTimeout"/> only a close ends it. Canceling <paramref name="cancellationToken"/>
    /// throws <see cref="OperationCanceledException"/>. Each message is the caller's to dispose.
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

    /// <summary>
    /// Sets an option by its NNG name (see <see cref="OptionNames"/>; <c>nng_socket_set</c>, <c>nng_ctx_set</c>), for
    /// tools that pass names through. Durations take a <see cref="TimeSpan"/> or whole milliseconds as an
    /// <see cref="int"/> (NNG's unit, -1 = infinite); sizes an <see cref="int"/> (or <see cref="long"/>);
    /// <c>sub:subscribe</c> bytes or UTF-8 text. Goes through the same checks as the typed property the name maps to.
    /// A context knows the timeouts and its protocol's context options (<c>req:resend-time</c>,
    /// <c>surveyor:survey-time</c>, <c>sub:subscribe</c>, <c>sub:unsubscribe</c>, <c>sub:prefnew</c>).
    /// </summary>
    /// <exception cref="SpNetException">
    /// <see cref="SpError.NotSupported"/> for a name this socket or context does not know (the message names it);
    /// <see cref="SpError.BadType"/> for a value of the wrong type; <see cref="SpError.InvalidArgument"/> for one out of
    /// range; <see cref="SpError.ReadOnly"/> for a read-only option such as <c>protocol</c>.
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

    /// <summary>
    /// Reads an option by its NNG name (see <see cref="OptionNames"/>). Durations come back as <see cref="TimeSpan"/>,
    /// counts and ids as <see cref="int"/>, <c>recv-size-max</c> as <see cref="long"/>, names as <see cref="string"/>,
    /// flags as <see cref="bool"/>.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> for a name this socket or context does not know; <see cref="SpError.WriteOnly"/> for <c>sub:subscribe</c>.</exception>
    public object GetOption(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _options.TryGet(this, name, out object value) ? value : throw UnknownOption(name);
    }

    /// <summary>Fails a call on a closed socket or context with <see cref="SpError.Closed"/>.</summary>
    private protected abstract void ThrowIfClosed();

    private SpNetException UnknownOption(string name) =>
        new(SpError.NotSupported, $"option '{name}' is not supported by {OptionOwner}");
}
