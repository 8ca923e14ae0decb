using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>
/// The receiving half shared by REP and RESPONDENT, raw and cooked: checks each request's backtrace against the
/// hop limit, stamps the arrival pipe's id in front of it (the header becomes <c>[pipe id][tags…]</c>, exactly
/// what a raw socket shows), fair-queues it, and later finds the pipe a reply's header names.
/// </summary>
internal sealed class ReplyRouter(SocketStatistics statistics, int receiveCapacity)
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, Pipe> _pipes = [];
    private int _maxTtl = Backtrace.DefaultMaxTtl;

    /// <summary>Requests (or surveys) with their header <c>[pipe id][tags…]</c>, in arrival order across pipes.</summary>
    public ReceiveQueue Requests { get; } = new(receiveCapacity);

    /// <summary>Largest number of tags accepted (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => Volatile.Read(ref _maxTtl);
        set => Volatile.Write(ref _maxTtl, Backtrace.CheckTtl(value));
    }

    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes[pipe.Id] = pipe;
        }
    }

    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes.Remove(pipe.Id);
        }
    }

    /// <summary>Checks and queues an arriving request; drops one over the hop limit; closes a pipe that sent no id.</summary>
    public ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (Backtrace.ExtractOrReject(pipe, message, MaxTtl, statistics))
        {
            message.PrependHeaderUInt32(pipe.Id);
            return Requests.EnqueueAsync(message);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Removes the pipe id from the front of the reply's header and returns that pipe, or null if it is gone or the header is too short.</summary>
    public Pipe? TakeRoute(Message reply)
    {
        if (reply.HeaderLength < 4)
        {
            return null;
        }
        uint id = reply.TrimHeaderUInt32();
        lock (_gate)
        {
            return _pipes.GetValueOrDefault(id);
        }
    }

    public void Close() => Requests.Close();
}
