using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using SpNet.Core;
using SpNet.Internal;
using SpNet.Protocols.Routing;

namespace SpNet.Protocols;

/// <summary>
/// PAIR v1, monogamous: one peer, like PAIR0, with a 4-byte hop-count header on the wire. A cooked send puts 1
/// there (NNG increments just before sending; verified <c>00 00 00 01</c>); a raw send takes the application's
/// header (exactly 4 bytes, below 0xFF) and adds one. On receipt a count above 0xFF closes the pipe (NNG), a
/// count above <see cref="MaxTtl"/> drops the message; 0 (mangos' convention) is accepted.
/// </summary>
internal sealed class Pair1(SocketStatistics statistics, int receiveCapacity, bool raw) : ProtocolBase(ProtocolIds.Pair1, statistics), IHopLimited
{
    private readonly SinglePeer _single = new();
    private readonly ReceiveQueue _received = new(receiveCapacity);
    private int _maxTtl = HopCount.DefaultMaxTtl;

    public override bool IsRaw => raw;

    /// <summary>Largest hop count accepted (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => Volatile.Read(ref _maxTtl);
        set => Volatile.Write(ref _maxTtl, value is >= 1 and <= 15 ? value : throw new ArgumentOutOfRangeException(nameof(value), "1 to 15"));
    }

    public override void SetReceiveBufferSize(int messages) => _received.Capacity = messages;

    public override bool AddPipe(Pipe pipe) => _single.TryAdd(pipe);

    public override void RemovePipe(Pipe pipe) => _single.Remove(pipe);

    public override ValueTask DeliverAsync(Pipe pipe, Message message) =>
        Accept(pipe, message, raw, MaxTtl, Statistics) ? _received.EnqueueAsync(message) : ValueTask.CompletedTask;

    public override void OnPipeWritable(Pipe pipe) => _single.Balancer.OnWritable();

    public override bool TrySend(Message message)
    {
        uint restore = Prepare(message);
        if (_single.Balancer.TrySend(message, out _))
        {
            return true;
        }
        Restore(message, restore);
        return false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask SendAsync(Message message, CancellationToken cancellationToken)
    {
        uint restore = Prepare(message);
        try
        {
            await _single.Balancer.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Restore(message, restore);
            throw;
        }
    }

    public override bool TryReceive(out Message? message) => _received.TryDequeue(out message);

    public override ValueTask<Message> ReceiveAsync(CancellationToken cancellationToken) => _received.DequeueAsync(cancellationToken);

    public override void Close()
    {
        _single.Balancer.Close();
        _received.Close();
    }

    /// <summary>
    /// Checks and moves the hop count of an arriving message (shared with polyamorous mode). Returns false when
    /// the message was consumed: dropped for its TTL, or malformed (the pipe is then closed, as NNG does).
    /// </summary>
    internal static bool Accept(Pipe pipe, Message message, bool raw, int maxTtl, SocketStatistics statistics)
    {
        if (!HopCount.TryPeek(message, out uint hops) || hops > 0xFF)
        {
            message.Dispose();
            statistics.RecordProtocolError();
            pipe.Close(SpError.Protocol, "pair1 message without a valid hop count");
            return false;
        }
        if (hops > (uint)maxTtl)
        {
            message.Dispose();
            statistics.RecordDropped();
            return false;
        }
        message.ClearHeader();
        if (raw)
        {
            message.MoveBodyPrefixToHeader(4);
        }
        else
        {
            message.TrimBodyUInt32();
        }
        return true;
    }

    /// <summary>Sets the wire header and returns what to put back if the send does not happen.</summary>
    private uint Prepare(Message message)
    {
        if (!raw)
        {
            HopCount.SetHeader(message, 1);
            return 0;
        }
        if (HopCount.ReadHeader(message) is not uint hops || hops >= 0xFF)
        {
            ThrowHelper.Throw(SpError.Protocol, "a raw pair1 message needs a 4-byte hop-count header below 0xFF");
            return 0;
        }
        BinaryPrimitives.WriteUInt32BigEndian(message.Header, hops + 1);
        return hops;
    }

    private void Restore(Message message, uint hops)
    {
        if (raw)
        {
            BinaryPrimitives.WriteUInt32BigEndian(message.Header, hops);
        }
        else
        {
            message.ClearHeader();
        }
    }
}
