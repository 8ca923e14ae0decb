using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PAIR v1, polyamorous (NNG 1.5's <c>nng_pair1_open_poly</c>): the same bytes as monogamous PAIR1, but any number
/// of peers. A received message's <see cref="Message.PipeId"/> names the pipe it came on; a send goes to the pipe
/// its <see cref="Message.PipeId"/> names, or to the first connected pipe when that is 0. Sends never wait: an
/// unknown pipe or a full queue discards the message (counted), as NNG does to avoid head-of-line blocking.
/// Cooked only: NNG has no raw polyamorous mode.
/// </summary>
internal sealed class Pair1Poly(SocketStatistics statistics, int receiveCapacity) : NeverWaitingProtocol(ProtocolIds.Pair1, statistics, receiveCapacity), IHopLimited
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, Pipe> _byId = [];
    private readonly List<Pipe> _inOrder = [];
    private int _maxTtl = HopCount.DefaultMaxTtl;

    /// <summary>Largest hop count accepted (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => Volatile.Read(ref _maxTtl);
        set => Volatile.Write(ref _maxTtl, value is >= 1 and <= 15 ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 15"));
    }

    public override bool AddPipe(Pipe pipe)
    {
        lock (_gate)
        {
            _byId[pipe.Id] = pipe;
            _inOrder.Add(pipe);
        }
        return true;
    }

    public override void RemovePipe(Pipe pipe)
    {
        lock (_gate)
        {
            _byId.Remove(pipe.Id);
            _inOrder.Remove(pipe);
        }
    }

    public override ValueTask DeliverAsync(Pipe pipe, Message message) =>
        Pair1.Accept(pipe, message, raw: false, MaxTtl, Statistics) ? Received.EnqueueAsync(message) : ValueTask.CompletedTask;

    public override bool TrySend(Message message)
    {
        ThrowIfClosed();
        uint id = message.PipeId;
        Pipe? target;
        lock (_gate)
        {
            if (id == 0)
            {
                target = _inOrder.Count > 0 ? _inOrder[0] : null;
            }
            else
            {
                _byId.TryGetValue(id, out target);
            }
        }
        HopCount.SetHeader(message, 1);
        if (target is null || !target.TrySend(message))
        {
            Drop(message);
        }
        return true;
    }
}
