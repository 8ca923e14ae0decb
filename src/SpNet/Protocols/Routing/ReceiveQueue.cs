using System.Runtime.CompilerServices;
using System.Threading.Channels;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// The socket-level queue of received messages, fed fairly by every pipe's read loop (fair queueing) and
/// drained by the application. Bounded: a full queue either makes the pipes wait (backpressure) or drops the
/// oldest message, as the protocol chooses.
/// </summary>
internal sealed class ReceiveQueue
{
    private readonly Channel<Message> _channel;

    public ReceiveQueue(int capacity)
    {
        _channel = Channel.CreateBounded<Message>(new BoundedChannelOptions(Math.Max(1, capacity))
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Messages waiting.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>Adds a message, waiting while the queue is full. If the socket closes meanwhile the message is freed.</summary>
    public ValueTask EnqueueAsync(Message message)
    {
        if (_channel.Writer.TryWrite(message))
        {
            return ValueTask.CompletedTask;
        }
        return Slow(message);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
        async ValueTask Slow(Message m)
        {
            try
            {
                await _channel.Writer.WriteAsync(m).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                m.Dispose();
            }
        }
    }

    /// <summary>Adds a message, discarding the oldest ones while full. Returns how many were discarded.</summary>
    public int EnqueueDropOldest(Message message)
    {
        int dropped = 0;
        while (!_channel.Writer.TryWrite(message))
        {
            if (_channel.Reader.Completion.IsCompleted)
            {
                message.Dispose();
                return dropped;
            }
            if (_channel.Reader.TryRead(out Message? old))
            {
                old.Dispose();
                dropped++;
            }
        }
        return dropped;
    }

    /// <summary>Takes a message if one is waiting.</summary>
    public bool TryDequeue(out Message? message) => _channel.Reader.TryRead(out message);

    /// <summary>Waits for a message; throws <see cref="SpNetException"/> (Closed) once the socket is closed.</summary>
    public ValueTask<Message> DequeueAsync(CancellationToken cancellationToken)
    {
        ValueTask<Message> read = _channel.Reader.ReadAsync(cancellationToken);
        return read.IsCompletedSuccessfully ? read : Slow(read);

        [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
        static async ValueTask<Message> Slow(ValueTask<Message> pending)
        {
            try
            {
                return await pending.ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                ThrowHelper.ThrowClosed("socket");
                return null!;
            }
        }
    }

    /// <summary>Discards everything queued (REQ does this when a new request supersedes the old).</summary>
    public void Clear()
    {
        while (_channel.Reader.TryRead(out Message? m))
        {
            m.Dispose();
        }
    }

    /// <summary>Fails waiting readers with Closed and frees what is queued.</summary>
    public void Close()
    {
        _channel.Writer.TryComplete();
        Clear();
    }
}
