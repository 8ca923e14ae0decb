using SpNet.Core;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// STAR (0x640, mangos' experimental protocol): every member's message reaches every member of a connected
/// mesh. Header <c>00 00 00 hops</c>. A cooked send puts hops 0 and goes to every pipe (a full pipe misses it).
/// A received message is dropped (counted) if shorter than 4 bytes, if its top 3 bytes are not zero, or if its
/// hop count is at least <see cref="MaxTtl"/>; otherwise the count goes up by one, the message is forwarded with
/// the new count to every other pipe, and the application gets a copy (cooked: header removed; raw: header
/// <c>00 00 00 hops+1</c>). A raw send needs exactly a 4-byte header, sent unchanged; anything else is dropped
/// silently, as mangos' xstar does.
/// </summary>
internal sealed class Star(SocketStatistics statistics, int receiveCapacity, bool raw) : NeverWaitingProtocol(ProtocolIds.Star, statistics, receiveCapacity), IHopLimited
{
    private readonly Fanout _pipes = new();
    private int _maxTtl = HopCount.DefaultMaxTtl;

    public override bool IsRaw => raw;

    /// <summary>Hop limit (mangos OptionTTL, 1–255, default 8): messages that arrive with this many hops or more are dropped.</summary>
    public int MaxTtl
    {
        get => Volatile.Read(ref _maxTtl);
        set => Volatile.Write(ref _maxTtl, value is >= 1 and <= 255 ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 255"));
    }

    protected override IPipeSet Peers => _pipes;

    public override ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        if (!HopCount.TryPeek(message, out uint hops) || hops >= (uint)MaxTtl)
        {
            // Also catches non-zero top bytes: such a value is far above any TTL (at most 255).
            Drop(message);
            return ValueTask.CompletedTask;
        }
        message.TrimBodyUInt32();
        HopCount.SetHeader(message, hops + 1);
        if (_pipes.HasOtherThan(pipe))
        {
            // The forwarded copy is shared by the other pipes' queues; the application gets its own message.
            _pipes.Send(message.Clone(), Statistics, except: pipe);
        }
        if (!raw)
        {
            message.ClearHeader();
        }
        return Received.EnqueueAsync(message);
    }

    public override bool TrySend(Message message)
    {
        ThrowIfClosed();
        if (raw)
        {
            if (message.HeaderLength != 4)
            {
                Drop(message);
                return true;
            }
        }
        else
        {
            HopCount.SetHeader(message, 0);
        }
        _pipes.Send(message, Statistics);
        return true;
    }
}
