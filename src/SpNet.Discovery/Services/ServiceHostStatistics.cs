namespace SpNet.Discovery;

/// <summary>Counters of a <see cref="ServiceHost"/>. Thread-safe.</summary>
public sealed class ServiceHostStatistics
{
    private long _requests;
    private long _gathers;
    private long _broadcasts;
    private long _tunnels;
    private long _handlerErrors;

    /// <summary>Requests handled (replied or failed).</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Gather surveys handled.</summary>
    public long Gathers => Volatile.Read(ref _gathers);

    /// <summary>Broadcasts handled.</summary>
    public long Broadcasts => Volatile.Read(ref _broadcasts);

    /// <summary>Tunnels accepted.</summary>
    public long Tunnels => Volatile.Read(ref _tunnels);

    /// <summary>Handler calls that threw (request and gather callers got an error reply).</summary>
    public long HandlerErrors => Volatile.Read(ref _handlerErrors);

    internal void RecordRequest() => Interlocked.Increment(ref _requests);

    internal void RecordGather() => Interlocked.Increment(ref _gathers);

    internal void RecordBroadcast() => Interlocked.Increment(ref _broadcasts);

    internal void RecordTunnel() => Interlocked.Increment(ref _tunnels);

    internal void RecordHandlerError() => Interlocked.Increment(ref _handlerErrors);

    /// <inheritdoc />
    public override string ToString() =>
        $"requests {Requests}, gathers {Gathers}, broadcasts {Broadcasts}, tunnels {Tunnels}, handler errors {HandlerErrors}";
}
