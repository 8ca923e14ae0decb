using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// SUB: keeps the messages whose body starts with a subscribed prefix (empty prefix = everything; no
/// subscription = nothing). Subscriptions are local: they never go on the wire. Each context (the socket's own is
/// the default one) has its own subscriptions and receive queue and gets its own copy of every message it matches,
/// as NNG's sub0 contexts. When a context's queue is full the oldest message is dropped (counted), so a slow reader
/// sees the newest data and never holds up the pipes or the other contexts; with <see cref="SubContext.PreferNew"/>
/// off the new message is dropped instead. Raw mode does no filtering at all and has no contexts.
/// </summary>
internal sealed class Sub : ProtocolBase, IContextProtocol
{
    private readonly object _gate = new();
    private readonly bool _raw;
    private readonly SubContext _default;
    private SubContext[] _contexts; // copy-on-write: the delivery path reads it without a lock
    private int _receiveCapacity;
    private bool _closed;

    public Sub(SocketStatistics statistics, int receiveCapacity, bool raw = false) : base(ProtocolIds.Sub, statistics)
    {
        _raw = raw;
        _receiveCapacity = receiveCapacity;
        _default = new SubContext(this, receiveCapacity, preferNew: true);
        _contexts = [_default];
    }

    /// <summary>The default context's subscribed prefixes.</summary>
    public SubscriptionSet Subscriptions => _default.Subscriptions;

    /// <summary>NNG's <c>sub:prefnew</c> of the default context, and the initial one of new contexts.</summary>
    public bool PreferNew
    {
        get => _default.PreferNew;
        set => _default.PreferNew = value;
    }

    public override bool IsRaw => _raw;

    /// <summary>Resizes every context's queue and sets the size new contexts get (as NNG's socket-level recvbuf on SUB).</summary>
    public override void SetReceiveBufferSize(int messages)
    {
        lock (_gate)
        {
            _receiveCapacity = messages;
            foreach (SubContext context in _contexts)
            {
                context.Queue.Capacity = messages;
            }
        }
    }

    public IProtocolContext OpenContext()
    {
        if (_raw)
        {
            ThrowHelper.ThrowNotSupported("raw sockets have no contexts");
        }
        lock (_gate)
        {
            if (_closed)
            {
                ThrowHelper.ThrowClosed("socket");
            }
            var context = new SubContext(this, _receiveCapacity, _default.PreferNew);
            _contexts = [.. _contexts, context];
            return context;
        }
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (_raw)
        {
            _default.Post(message);
            return ValueTask.CompletedTask;
        }
        // Every matching context but the last gets a copy, the last the original (NNG duplicates the same way), so
        // a context that changes its message cannot affect another.
        SubContext? last = null;
        foreach (SubContext context in Volatile.Read(ref _contexts))
        {
            if (!context.Subscriptions.Matches(message.Body))
            {
                continue;
            }
            if (last is not null)
            {
                Message copy = message.Clone();
                copy.Pipe = message.Pipe;
                last.Post(copy);
            }
            last = context;
        }
        if (last is null)
        {
            message.Dispose();
        }
        else
        {
            last.Post(message);
        }
        return ValueTask.CompletedTask;
    }

    public override bool TryReceive(out Message? message) => _default.TryReceive(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _default.ReceiveAsync(cancellationToken);

    public override void Close()
    {
        SubContext[] all;
        lock (_gate)
        {
            _closed = true;
            all = _contexts;
        }
        foreach (SubContext context in all)
        {
            context.Queue.Close();
        }
    }

    private void Forget(SubContext context)
    {
        lock (_gate)
        {
            _contexts = Array.FindAll(_contexts, c => c != context);
        }
    }

    /// <summary>One subscriber: its prefixes, its queue and its drop policy.</summary>
    internal sealed class SubContext(Sub owner, int receiveCapacity, bool preferNew) : IProtocolContext
    {
        /// <summary>This context's prefixes.</summary>
        public SubscriptionSet Subscriptions { get; } = new();

        /// <summary>This context's matching messages not yet received.</summary>
        public ReceiveQueue Queue { get; } = new(receiveCapacity);

        /// <summary>NNG's <c>sub:prefnew</c>: when the queue is full, true drops the oldest message, false the new one.</summary>
        public bool PreferNew { get; set; } = preferNew;

        /// <summary>Queues a message for this context under its drop policy, counting what is dropped.</summary>
        public void Post(Message message)
        {
            if (!PreferNew)
            {
                if (!Queue.EnqueueDropNewest(message))
                {
                    owner.Statistics.RecordDropped();
                }
                return;
            }
            int dropped = Queue.EnqueueDropOldest(message);
            for (int i = 0; i < dropped; i++)
            {
                owner.Statistics.RecordDropped();
            }
        }

        public bool TrySend(Message message)
        {
            ThrowHelper.ThrowNotSupported("sub sockets cannot send");
            return false;
        }

        public ValueTask SendAsync(Message message, CancellationToken cancellationToken)
        {
            ThrowHelper.ThrowNotSupported("sub sockets cannot send");
            return default;
        }

        public bool TryReceive(out Message? message) => Queue.TryDequeue(out message);

        public ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => Queue.DequeueAsync(cancellationToken);

        public void Close()
        {
            owner.Forget(this);
            Queue.Close();
        }
    }
}
