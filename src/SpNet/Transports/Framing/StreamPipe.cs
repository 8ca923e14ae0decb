using System.Buffers;
using System.Net.Sockets;
using SpNet.Core;

namespace SpNet.Transports.Framing;

/// <summary>
/// A pipe over a byte stream (tcp, ipc, tls): the stream mappings' framing, written once.
/// The write loop coalesces every queued message into one buffer and one write; the read loop parses every
/// complete frame in each chunk it reads.
/// </summary>
internal sealed class StreamPipe : Pipe
{
    /// <summary>Chunk size for reads and for coalesced writes.</summary>
    internal const int BufferSize = 64 * 1024;

    /// <summary>Messages at least this large are written straight from their own buffer instead of being copied.</summary>
    private const int DirectWriteThreshold = 16 * 1024;

    private readonly Stream _stream;
    private readonly bool _ipc;
    private readonly long _maxReceiveSize;

    // Set when the stream is a plain socket (tcp, ipc): senders may then write inline with non-blocking sends.
    private readonly System.Net.Sockets.Socket? _socket;

    // Coalescing buffer, used only by the writer-role holder (the write loop or an inline sender).
    private readonly byte[] _writeBuffer = ArrayPool<byte>.Shared.Rent(BufferSize);

    public StreamPipe(Stream stream, bool ipc, ushort peerProtocol, string localAddress, string remoteAddress, long maxReceiveSize, int sendQueueCapacity)
        : base(peerProtocol, localAddress, remoteAddress, sendQueueCapacity)
    {
        _stream = stream;
        _ipc = ipc;
        _maxReceiveSize = maxReceiveSize;
        if (stream is NetworkStream network)
        {
            // Only the synchronous inline send looks at this: the stream's async reads and writes are unaffected.
            // A sync send on a blocking socket could stall a publisher that must never wait.
            _socket = network.Socket;
            _socket.Blocking = false;
        }
    }

    /// <summary>
    /// Runs the SP handshake over <paramref name="stream"/> (bounded by the handshake timeout) and wraps it in a pipe;
    /// disposes the stream on failure.
    /// </summary>
    internal static async ValueTask<Pipe> OpenAsync(Stream stream, bool ipc, string url, string localAddress, string remoteAddress, TransportSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            ushort peer = await Handshake.ExchangeAsync(stream, settings.SelfProtocol, settings.HandshakeTimeout, url, cancellationToken).ConfigureAwait(false);
            return new StreamPipe(stream, ipc, peer, localAddress, remoteAddress, settings.MaxReceiveSize, settings.SendQueueCapacity);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    protected override void CloseTransport()
    {
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Already broken: nothing more to release.
        }
    }

    protected override async Task ReadLoopAsync()
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int start = 0;
            int end = 0;
            int prefixSize = FrameCodec.PrefixSize(_ipc);
            while (true)
            {
                // Parse every complete frame in what we have.
                while (true)
                {
                    var status = FrameCodec.TryReadPrefix(buffer.AsSpan(start, end - start), _ipc, _maxReceiveSize, out ulong length);
                    if (status == FramePrefixStatus.NeedMoreData)
                    {
                        break;
                    }
                    if (status == FramePrefixStatus.TooLarge)
                    {
                        Host.Statistics.RecordOversized();
                        throw new SpNetException(SpError.MessageTooLarge, $"peer announced a {length}-byte message, over the receive limit of {_maxReceiveSize} bytes");
                    }
                    if (status == FramePrefixStatus.BadType)
                    {
                        Host.Statistics.RecordProtocolError();
                        throw new SpNetException(SpError.Protocol, $"unexpected IPC message type 0x{buffer[start]:x2}");
                    }
                    int size = (int)length;
                    int available = end - start - prefixSize;
                    Message message;
                    if (available >= size)
                    {
                        message = Message.Create(buffer.AsSpan(start + prefixSize, size));
                        start += prefixSize + size;
                    }
                    else if (prefixSize + size <= buffer.Length)
                    {
                        break; // fits in the chunk buffer: read more first
                    }
                    else
                    {
                        // Larger than a chunk: read the rest straight into the message.
                        message = Message.Create(size);
                        buffer.AsSpan(start + prefixSize, available).CopyTo(message.Body);
                        start = end = 0;
                        try
                        {
                            await _stream.ReadExactlyAsync(message.BodyMemory[available..]).ConfigureAwait(false);
                        }
                        catch (EndOfStreamException)
                        {
                            // Same outcome as a small message cut short: an orderly close mid-message, not a reset.
                            message.Dispose();
                            Host.Statistics.RecordConnectionError();
                            throw new SpNetException(SpError.ConnectionShutdown, $"peer closed the connection in the middle of a {size}-byte message");
                        }
                        catch
                        {
                            message.Dispose();
                            throw;
                        }
                    }
                    Host.Statistics.CountReceived(size);
                    await Host.DeliverAsync(this, message).ConfigureAwait(false);
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (start > 0 && buffer.Length - end < BufferSize / 4)
                {
                    // Keep room to read: move the partial frame to the front.
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    start = 0;
                }

                int read = await _stream.ReadAsync(buffer.AsMemory(end)).ConfigureAwait(false);
                if (read == 0)
                {
                    if (end != start)
                    {
                        Host.Statistics.RecordConnectionError();
                        throw new SpNetException(SpError.ConnectionShutdown, $"peer closed the connection in the middle of a message ({end - start} bytes of it received)");
                    }
                    return;
                }
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// How long the connection must have been quiet before a sender writes inline. A message that follows the last
    /// write closely is part of a burst: queueing it lets the write loop coalesce the burst into few large writes,
    /// where inline writes would cost one system call each. A message after a pause (a request, a reply, a
    /// heartbeat) is written at once, saving the hand-off to the write loop.
    /// </summary>
    private static readonly long QuietTicks = System.Diagnostics.Stopwatch.Frequency / 50_000; // 20 µs

    // Stopwatch timestamp of the end of the last write by either writer.
    private long _lastWrite;

    protected override bool CanWriteInline(int length) =>
        _socket is not null && length < DirectWriteThreshold
        && System.Diagnostics.Stopwatch.GetTimestamp() - Volatile.Read(ref _lastWrite) > QuietTicks;

    protected override void WriteInline(Message message)
    {
        byte[] buffer = _writeBuffer;
        int length = message.Length;
        int used = FrameCodec.WritePrefix(buffer, (ulong)length, _ipc);
        message.Header.CopyTo(buffer.AsSpan(used));
        used += message.HeaderLength;
        message.Body.CopyTo(buffer.AsSpan(used));
        used += message.BodyLength;
        message.Dispose();

        int sent;
        SocketError error;
        try
        {
            sent = _socket!.Send(buffer.AsSpan(0, used), SocketFlags.None, out error);
        }
        catch (Exception ex)
        {
            // Closed under us (ObjectDisposedException): the message goes the way of everything queued on a closed
            // pipe. Anything else breaks the connection like a failed write in the loop would.
            ReleaseWriterRole();
            if (!IsClosed)
            {
                Host.Statistics.RecordConnectionError();
                Close(SpError.ConnectionReset, ex.Message);
            }
            return;
        }
        if (error == SocketError.Success && sent == used)
        {
            Host.Statistics.CountSent(length);
            Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
            ReleaseWriterRole();
            return;
        }
        if (error is SocketError.Success or SocketError.WouldBlock)
        {
            // The kernel's buffer is full: finish this frame asynchronously, still holding the role, so the write
            // loop (and any later inline sender) waits behind it and order is kept.
            Host.Statistics.CountSent(length);
            _ = FinishInlineAsync(error == SocketError.Success ? sent : 0, used);
            return;
        }
        ReleaseWriterRole();
        if (!IsClosed)
        {
            Host.Statistics.RecordConnectionError();
            Close(SpError.ConnectionReset, $"send failed: {error}");
        }
    }

    private async Task FinishInlineAsync(int offset, int end)
    {
        try
        {
            await _stream.WriteAsync(_writeBuffer.AsMemory(offset, end - offset)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            if (!IsClosed)
            {
                Host.Statistics.RecordConnectionError();
                Close(SpError.ConnectionReset, ex.Message);
            }
        }
        finally
        {
            Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
            ReleaseWriterRole();
        }
    }

    protected override async Task WriteLoopAsync()
    {
        byte[] buffer = _writeBuffer;
        try
        {
            var queue = SendQueue;
            int prefixSize = FrameCodec.PrefixSize(_ipc);
            while (await queue.WaitToReadAsync().ConfigureAwait(false))
            {
                await AcquireWriterRoleAsync().ConfigureAwait(false);
                try
                {
                    await DrainQueueAsync(queue, buffer, prefixSize).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
                    ReleaseWriterRole();
                }
                Host.OnWritable(this);
            }
        }
        finally
        {
            // Keep the role for good: no inline sender may touch the buffer once it is back in the pool.
            await AcquireWriterRoleAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes everything queued (up to one buffer's worth) while holding the writer role.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DrainQueueAsync(System.Threading.Channels.ChannelReader<Message> queue, byte[] buffer, int prefixSize)
    {
        int used = 0;
        while (used < BufferSize - prefixSize && queue.TryRead(out Message? message))
        {
            try
            {
                int length = message.Length;
                if (length >= DirectWriteThreshold || used + prefixSize + length > buffer.Length)
                {
                    if (used + prefixSize + message.HeaderLength > buffer.Length)
                    {
                        await _stream.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                        used = 0;
                    }
                    used += FrameCodec.WritePrefix(buffer.AsSpan(used), (ulong)length, _ipc);
                    message.Header.CopyTo(buffer.AsSpan(used));
                    used += message.HeaderLength;
                    await _stream.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                    used = 0;
                    await _stream.WriteAsync(message.BodyMemory).ConfigureAwait(false);
                }
                else
                {
                    used += FrameCodec.WritePrefix(buffer.AsSpan(used), (ulong)length, _ipc);
                    message.Header.CopyTo(buffer.AsSpan(used));
                    used += message.HeaderLength;
                    message.Body.CopyTo(buffer.AsSpan(used));
                    used += message.BodyLength;
                }
                Host.Statistics.CountSent(length);
            }
            finally
            {
                message.Dispose();
            }
        }
        if (used > 0)
        {
            await _stream.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
        }
    }
}
