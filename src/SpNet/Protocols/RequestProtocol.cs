using System.Buffers.Binary;
using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// What REQ and SURVEYOR share: contexts that each hold one outstanding id (a request or a survey) in one in-flight
/// table, a default context behind the socket's own send and receive, one timer for every context's deadline, the hop
/// limit NNG keeps on both, and a close that ends every context. The protocols add what differs: where a message goes
/// and what its deadline does.
/// </summary>
internal abstract partial class RequestProtocol<TContext>(ProtocolInfo info, SocketStatistics statistics)
    : ProtocolBase(info, statistics), IContextProtocol, IDisposable, IHopLimited
    where TContext : DeadlineScheduler.Entry, IProtocolContext
{
    private volatile bool _closed;
    private int _maxTtl = Backtrace.DefaultMaxTtl;

    /// <summary>Guards the in-flight table and every context's request state.</summary>
    protected object Gate { get; } = new();

    /// <summary>The ids in flight, each owned by its context.</summary>
    protected RequestIds<TContext> InFlight { get; } = new();

    /// <summary>One timer for all contexts' resend times or survey deadlines.</summary>
    protected DeadlineScheduler Timers { get; } = new();

    /// <summary>The socket's own context; set by the protocol's constructor.</summary>
    protected TContext Default { get; init; } = null!;

    /// <summary>True once the socket closed: no new context, request or deadline.</summary>
    protected bool IsClosed => _closed;

    /// <summary>
    /// NNG_OPT_MAXTTL, kept and reported as NNG's cooked REQ and SURVEYOR do: a reply or answer reaches them with the
    /// routing already taken off by the devices it crossed, so nothing is left to limit here (the raw ones apply it).
    /// </summary>
    public int MaxTtl
    {
        get => Volatile.Read(ref _maxTtl);
        set => Volatile.Write(ref _maxTtl, Backtrace.CheckTtl(value));
    }

    /// <summary>The default context's id (REQ: its latest request's; SURVEYOR: its running survey's, 0 when none), for tests and diagnostics.</summary>
    internal uint CurrentId
    {
        get
        {
            lock (Gate)
            {
                return IdOf(Default);
            }
        }
    }

    public IProtocolContext OpenContext()
    {
        if (_closed)
        {
            throw new SpNetException(SpError.Closed, "socket is closed");
        }
        return CreateContext();
    }

    public override bool TrySend(Message message) => Default.TrySend(message);

    public override ValueTask SendAsync(Message message, CancellationToken cancellationToken) => Default.SendAsync(message, cancellationToken);

    public override bool TryReceive(out Message? message) => Default.TryReceive(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => Default.ReceiveAsync(cancellationToken);

    public override void Close()
    {
        _closed = true;
        OnClosing();
        TContext[] all;
        lock (Gate)
        {
            all = InFlight.SnapshotWith(Default);
        }
        foreach (TContext context in all)
        {
            context.Close();
        }
        Timers.Dispose();
    }

    public void Dispose() => Close();

    /// <summary>
    /// Reads the id a reply or answer starts with. NNG closes a pipe whose message cannot even hold one: such a message
    /// is disposed, counted as a protocol error, and its pipe closed with <paramref name="tooShort"/>.
    /// </summary>
    protected bool TryReadId(Pipe pipe, Message message, string tooShort, out uint id)
    {
        if (message.BodyLength < 4)
        {
            message.Dispose();
            Statistics.RecordProtocolError();
            pipe.Close(SpError.Protocol, tooShort);
            id = 0;
            return false;
        }
        id = BinaryPrimitives.ReadUInt32BigEndian(message.Body);
        return true;
    }

    /// <summary>A new context, starting with the default context's settings.</summary>
    protected abstract TContext CreateContext();

    /// <summary>The id <paramref name="context"/> has in flight (its request id or survey id).</summary>
    protected abstract uint IdOf(TContext context);

    /// <summary>Ends <paramref name="context"/>'s outstanding request or survey (its id, deadline and anything queued for it); under <see cref="Gate"/>.</summary>
    protected abstract void EndLocked(TContext context);

    /// <summary>Runs first when the socket closes, before the contexts end.</summary>
    protected virtual void OnClosing()
    {
    }
}
