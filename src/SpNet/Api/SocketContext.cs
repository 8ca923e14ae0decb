using SpNet.Internal;
using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// An independent request/reply (or survey) state machine on a socket: its own request id, resend timer, survey
/// deadline or saved backtrace, sharing the socket's connections. Many contexts let one socket keep thousands of
/// requests in flight, or let several workers each answer one request at a time (as NNG's <c>nng_ctx</c>).
/// Its I/O and options are <see cref="MessagePort"/>'s, on the context's own state; <c>OpenContext()</c> returns the protocol's own kind with its options:
/// <see cref="ReqContext"/>, <see cref="RepContext"/>, <see cref="SurveyorContext"/>, <see cref="RespondentContext"/>
/// or <see cref="SubContext"/> (a subscriber with its own subscriptions and queue). Raw sockets have none.
/// </summary>
/// <remarks>
/// Thread-safe, but like NNG a context is one state machine: run one send/receive cycle at a time on it.
/// Message ownership follows <see cref="MessagePort.SendAsync(Message, CancellationToken)"/>. Disposing fails the
/// context's pending operations with <see cref="SpError.Closed"/>; closing the socket ends every context.
/// </remarks>
public abstract class SocketContext : MessagePort, IAsyncDisposable, IDisposable
{
    private readonly IProtocolContext _context;
    private int _closed;

    /// <param name="socket">The socket the context belongs to.</param>
    /// <param name="context">The protocol's side of the context.</param>
    /// <param name="options">The context type's option table; null for the timeouts only.</param>
    private protected SocketContext(Socket socket, IProtocolContext context, IOptionTable? options = null)
        : base(context, options ?? PortOptions)
    {
        Socket = socket;
        _context = context;
        SendTimeout = socket.SendTimeout;
        ReceiveTimeout = socket.ReceiveTimeout;
    }

    /// <summary>The options every context has: the two timeouts; a context type adds its own with <c>With</c>.</summary>
    private protected static OptionTable<MessagePort> CommonOptions => PortOptions;

    /// <summary>The socket this context belongs to.</summary>
    public Socket Socket { get; }

    /// <summary>True after dispose.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <inheritdoc />
    private protected override string OptionOwner => $"{Socket.ProtocolName} contexts";

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

    /// <inheritdoc />
    private protected override void ThrowIfClosed()
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
