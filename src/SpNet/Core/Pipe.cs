using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SpNet.Internal;

namespace SpNet.Core;

/// <summary>
/// One live connection to one peer after the SP handshake: a bounded send queue drained by a write loop,
/// and a read loop that hands whole messages to the owning socket. Protocols see only this type; transports
/// derive from it (stream framing, inproc).
/// </summary>
internal abstract class Pipe
{
    private static int s_lastId = Random.Shared.Next(1, 0x3FFFFFFF);

    /// <summary>
    /// Queued messages at which a sender flushes the queue itself instead of leaving it to the write loop. A flooding
    /// sender keeps a core busy, and the write loop, a thread-pool continuation, then waits for the other core behind
    /// the peer's threads: with a 1,024-message PUB queue, 1 KiB at 400k msg/s lost 44 % of the messages at the
    /// publisher while the subscriber dropped none. 32 queued messages make one system call carry 32 frames.
    /// </summary>
    private const int InlineFlushThreshold = 32;

    private readonly Channel<Message> _sendQueue;

    private readonly WriterRole _writerRole = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IPipeHost? _host;
    private int _closing;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    protected Pipe(ushort peerProtocol, string localAddress, string remoteAddress, int sendQueueCapacity)
    {
        Id = NextId();
        PeerProtocol = peerProtocol;
        LocalAddress = localAddress;
        RemoteAddress = remoteAddress;
        QueueCapacity = Math.Max(1, sendQueueCapacity);
        _sendQueue = Channel.CreateBounded<Message>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>31-bit non-zero id, unique within the process (as NNG's pipe ids).</summary>
    public uint Id { get; }

    /// <summary>The protocol id the peer announced in its handshake.</summary>
    public ushort PeerProtocol { get; }

    /// <summary>Local endpoint, as text.</summary>
    public string LocalAddress { get; }

    /// <summary>Remote endpoint, as text.</summary>
    public string RemoteAddress { get; }

    /// <summary>The dialer or listener that made this pipe, set when the socket adopts it (names the URL in pipe events).</summary>
    public IEndpoint? Owner { get; set; }

    /// <summary>
    /// The TCP socket under this pipe (tcp, tls+tcp, ws, wss), set by the transport; null for the others. Lets tests
    /// and diagnostics read what was really set on the connection (keepalive, user timeout) without a wire probe.
    /// </summary>
    public System.Net.Sockets.Socket? TcpSocket { get; set; }

    /// <summary>The certificate the peer presented in a TLS handshake (tls+tcp), set by the transport; null otherwise.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? RemoteCertificate { get; set; }

    /// <summary>True once <see cref="Close"/> has been called or a loop failed.</summary>
    public bool IsClosed => Volatile.Read(ref _closing) != 0;

    /// <summary>Completes when the pipe is closed and both loops have ended.</summary>
    public Task Completion => _closed.Task;

    /// <summary>Why the pipe closed: <see cref="SpError.None"/> while open or after an orderly close.</summary>
    public SpError CloseReason { get; private set; }

    /// <summary>Human-readable detail of <see cref="CloseReason"/>.</summary>
    public string? CloseDetail { get; private set; }

    protected IPipeHost Host => _host!;

    protected ILogger? Logger { get; private set; }

    /// <summary>Starts the read and write loops. Called by the socket once the protocol has accepted the pipe.</summary>
    public void Start(IPipeHost host, ILogger? logger)
    {
        Logger = logger;
        Volatile.Write(ref _host, host);
        if (IsClosed)
        {
            // Closed between adoption and start: make sure the host forgets it.
            DrainQueue();
            host.OnClosed(this);
            _closed.TrySetResult();
            return;
        }
        _readLoop = Task.Run(RunReadLoopAsync);
        _writeLoop = Task.Run(RunWriteLoopAsync);
        _ = WhenLoopsEndAsync();
        OnStarted();
    }

    /// <summary>Called once the loops run and the host is set.</summary>
    protected virtual void OnStarted()
    {
    }

    /// <summary>
    /// Hands a message to the pipe if there is room. On true the pipe owns the message. When nothing is queued and
    /// nothing is being written, a transport that can write without blocking does so on the caller's thread (no
    /// hand-off to the write loop: lower latency, and a producer that never waits is paced by the connection
    /// instead of filling the queue); otherwise the message is queued for the write loop.
    /// </summary>
    /// <param name="message">The message; on true the pipe owns it.</param>
    /// <param name="inBurst">
    /// True when the sender knows more messages follow at once (a publisher flooding many pipes): the message is then
    /// queued for coalescing even when the pipe is quiet, rather than written at once.
    /// </param>
    public bool TrySend(Message message, bool inBurst = false)
    {
        if (IsClosed)
        {
            return false;
        }
        // Not before Start: a protocol may send while adopting the pipe (REQ resends), before there is a host to count it.
        bool started = Volatile.Read(ref _host) is not null;
        if (started && !inBurst && CanWriteInline(message.Length) && _sendQueue.Reader.Count == 0 && TryAcquireWriterRole())
        {
            // Re-check under the role: the loop may have queued-and-taken nothing, but a sender on another thread
            // may have queued since; writing now would overtake it.
            if (_sendQueue.Reader.Count == 0 && !IsClosed)
            {
                WriteInline(message); // releases the role (possibly later, when an unfinished write completes)
                return true;
            }
            ReleaseWriterRole();
        }
        if (!_sendQueue.Writer.TryWrite(message))
        {
            return false;
        }
        if (started && _sendQueue.Reader.Count >= InlineFlushThreshold && CanFlushInline && TryAcquireWriterRole())
        {
            FlushInline(); // releases the role
        }
        return true;
    }

    /// <summary>True when <see cref="WriteInline"/> can write a message of this size without blocking the caller.</summary>
    protected virtual bool CanWriteInline(int length) => false;

    /// <summary>True when <see cref="FlushInline"/> can write queued messages without blocking the caller.</summary>
    protected virtual bool CanFlushInline => false;

    /// <summary>
    /// Writes one message on the caller's thread while the caller holds the writer role; must not block. Takes
    /// ownership of the message and releases the role with <see cref="ReleaseWriterRole"/> once the connection has
    /// all of it (at once, or after finishing asynchronously).
    /// </summary>
    protected virtual void WriteInline(Message message) => throw new NotSupportedException();

    /// <summary>
    /// Writes what is queued (as much as one write takes) on the caller's thread while the caller holds the writer
    /// role; must not block. Releases the role as <see cref="WriteInline"/> does.
    /// </summary>
    protected virtual void FlushInline() => throw new NotSupportedException();

    /// <summary>Takes the writer role for the write loop, waiting while a sender holds it. Only the write loop calls this.</summary>
    protected ValueTask AcquireWriterRoleAsync() => _writerRole.AcquireAsync();

    /// <summary>Takes the writer role if nobody holds it.</summary>
    protected bool TryAcquireWriterRole() => _writerRole.TryAcquire();

    /// <summary>Gives the writer role back (and wakes the write loop if it waits for it).</summary>
    protected void ReleaseWriterRole() => _writerRole.Release();

    /// <summary>Closes at once, dropping queued messages. Idempotent.</summary>
    public void Close(SpError reason = SpError.None, string? detail = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }
        CloseReason = reason;
        CloseDetail = detail;
        if (reason != SpError.None && Logger is not null)
        {
            Log.PipeClosed(Logger, Id, RemoteAddress, reason, detail ?? "");
        }
        _sendQueue.Writer.TryComplete();
        CloseTransport();
        IPipeHost? host = Volatile.Read(ref _host);
        if (host is null)
        {
            // Never started: no loop owns the queue, so empty it here.
            DrainQueue();
            _closed.TrySetResult();
        }
        else
        {
            host.OnClosed(this);
        }
    }

    /// <summary>Stops accepting messages, lets the write loop flush what is queued for up to <paramref name="linger"/>, then closes.</summary>
    public async Task CloseGracefullyAsync(TimeSpan linger)
    {
        if (IsClosed)
        {
            return;
        }
        _sendQueue.Writer.TryComplete();
        // Wait even when the queue looks empty: the write loop may have taken messages it is still writing.
        // The loop ends as soon as the completed queue is drained, so an idle pipe costs nothing here.
        if (linger > TimeSpan.Zero)
        {
            await Task.WhenAny(_writeLoop, Task.Delay(linger)).ConfigureAwait(false);
        }
        Close();
    }

    /// <summary>How many messages the send queue holds at most.</summary>
    public int QueueCapacity { get; }

    /// <summary>Number of messages waiting in the send queue.</summary>
    public int QueuedCount => _sendQueue.Reader.Count;

    protected ChannelReader<Message> SendQueue => _sendQueue.Reader;

    /// <summary>Receives messages until the connection ends; delivers each to <see cref="Host"/>.</summary>
    protected abstract Task ReadLoopAsync();

    /// <summary>Drains <see cref="SendQueue"/> to the connection until the queue completes.</summary>
    protected abstract Task WriteLoopAsync();

    /// <summary>Closes the underlying connection so that pending I/O ends.</summary>
    protected abstract void CloseTransport();

    private async Task RunReadLoopAsync()
    {
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
            Close(SpError.ConnectionShutdown, "closed by peer");
        }
        catch (SpNetException ex)
        {
            Close(ex.Error, ex.Message);
        }
        catch (Exception ex) when (IsClosed)
        {
            _ = ex; // I/O aborted because we closed: expected.
        }
        catch (Exception ex)
        {
            Host.Statistics.RecordConnectionError();
            Close(SpError.ConnectionReset, ex.Message);
        }
    }

    private async Task RunWriteLoopAsync()
    {
        try
        {
            await WriteLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsClosed)
        {
            _ = ex;
        }
        catch (Exception ex)
        {
            Host.Statistics.RecordConnectionError();
            Close(SpError.ConnectionReset, ex.Message);
        }
    }

    private async Task WhenLoopsEndAsync()
    {
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _ = ex; // each loop already turned its failure into Close
        }
        DrainQueue();
        _closed.TrySetResult();
    }

    private void DrainQueue()
    {
        while (_sendQueue.Reader.TryRead(out Message? m))
        {
            m.Dispose();
        }
    }

    private static uint NextId() => (uint)(Interlocked.Increment(ref s_lastId) & 0x7FFFFFFF) is var id && id != 0 ? id : NextId();
}
