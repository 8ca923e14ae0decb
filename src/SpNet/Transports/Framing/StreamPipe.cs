using System.Net.Security;
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
    /// <summary>
    /// Largest chunk for reads and for coalesced writes. A busy pipe reaches it in a few doublings; it is what one
    /// system call moves. At 64 KiB a 16 KiB stream made four messages per call and a thread hand-off per call: ipc
    /// PAIR0 16 KiB took 0.8–1.2 s of system time per side for 220,000 messages, 0.6–0.7 s at 256 KiB, and a 1 KiB
    /// PUB/SUB flood delivered about 1.5× as many messages (spbench local_thr/remote_thr and pubsub, same run).
    /// </summary>
    internal const int BufferSize = 256 * 1024;

    /// <summary>
    /// Frames longer than this that have not fully arrived are read straight into their message instead of through
    /// the chunk (no copy, and the chunk goes back to the pool while the rest trickles in).
    /// </summary>
    internal const int LargeFrameSize = 64 * 1024;

    /// <summary>
    /// First chunk for reads and writes; a chunk doubles, up to <see cref="BufferSize"/>, while reads fill it or
    /// writes outgrow it. Most pipes carry a few small messages: renting 64 KiB twice for each of 1,000 such
    /// connections churned 128 MB through the GC, which kept ~50 KiB per idle pipe committed (NNG: ~4 KiB).
    /// </summary>
    internal const int MinBufferSize = 4 * 1024;

    /// <summary>
    /// Smallest body reserved for a frame larger than a chunk before its bytes arrive (a header alone reserves no more).
    /// </summary>
    private const int MinLargeReserve = 4 * 1024;

    /// <summary>
    /// Messages at least this large are written straight from their own buffer instead of being copied. Below it the
    /// copy costs less than the system calls it saves: at 16 KiB, coalescing three messages per write instead of two
    /// writes per message took tcp PUSH from 48-63k to 76-148k msg/s (same run, spbench local_thr/remote_thr).
    /// </summary>
    private const int DirectWriteThreshold = 32 * 1024;

    private readonly Stream _stream;
    private readonly bool _ipc;
    private readonly long _maxReceiveSize;

    // Set when the stream is a plain socket (tcp, ipc): senders may then write inline with non-blocking sends.
    private readonly System.Net.Sockets.Socket? _socket;

    // Coalescing buffer, used only by the writer-role holder (the write loop or an inline sender). Rented at the
    // first write, so a pipe that only receives (a subscriber's) never holds one, and given back by
    // IdleChunkSweeper once the pipe has written nothing for a second.
    private byte[]? _writeBuffer;

    /// <summary>
    /// The coalescing buffer, at least <paramref name="needed"/> bytes (capped at <see cref="BufferSize"/>); call only
    /// while holding the writer role. A buffer that grows is replaced by one twice as large, so a flood reaches the
    /// full size in a few writes.
    /// </summary>
    private byte[] WriteBuffer(int needed)
    {
        byte[]? buffer = _writeBuffer;
        if (buffer is not null && buffer.Length >= Math.Min(needed, BufferSize))
        {
            return buffer;
        }
        int size = buffer is null ? MinBufferSize : Math.Min(2 * buffer.Length, BufferSize);
        while (size < needed && size < BufferSize)
        {
            size *= 2;
        }
        if (buffer is not null)
        {
            BufferPool.Return(buffer);
        }
        return _writeBuffer = BufferPool.Rent(size);
    }

    /// <summary>The read chunk while the read loop waits for data; <see cref="IdleChunkSweeper"/> may take it.</summary>
    private byte[]? _parkedChunk;

    /// <summary><see cref="Environment.TickCount64"/> when <see cref="_parkedChunk"/> was parked.</summary>
    private long _parkedAt;

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

    /// <summary>
    /// True when a zero-byte <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/> on <paramref name="stream"/>
    /// waits until data (or EOF) arrives. Sockets do (tcp, ipc, abstract: a zero-byte receive waits for readability), and
    /// SslStream passes the wait to its inner stream, which is always a socket's here (tls+tcp). PipeStream (named pipes)
    /// returns 0 at once, as may unknown streams: they keep their buffer while idle (no savings, but no busy loop).
    /// </summary>
    internal static bool WaitsOnZeroByteRead(Stream stream) => stream is NetworkStream or SslStream;

    /// <summary>True while the read loop's chunk is parked (for tests).</summary>
    internal bool HasParkedChunk => Volatile.Read(ref _parkedChunk) is not null;

    /// <summary>Takes the parked chunk if it was parked at or before <paramref name="parkedBefore"/> (the sweeper).</summary>
    internal byte[]? TakeParkedChunk(long parkedBefore)
    {
        // A stale time read here at worst takes a chunk parked just now: the read loop then rents another.
        if (Volatile.Read(ref _parkedChunk) is null || Volatile.Read(ref _parkedAt) > parkedBefore)
        {
            return null;
        }
        return Interlocked.Exchange(ref _parkedChunk, null);
    }

    /// <summary>
    /// Gives a first-size write buffer back to the pool once everything in it is written (holding the writer role): a
    /// pipe writing a message now and then does not keep one, and the next pipe reuses it. A grown buffer means a
    /// busy pipe; it stays until <see cref="IdleChunkSweeper"/> finds the pipe quiet.
    /// </summary>
    private void ReturnSmallWriteBuffer()
    {
        byte[]? buffer = _writeBuffer;
        if (buffer is not null && buffer.Length <= MinBufferSize)
        {
            _writeBuffer = null;
            BufferPool.Return(buffer);
        }
    }

    /// <summary>The kernel's send buffer of the plain socket under this pipe (tcp, ipc), in bytes, or 0 (for tests).</summary>
    internal int SocketSendBufferBytes => _socket?.SendBufferSize ?? 0;

    /// <summary>True while the pipe holds a write buffer (for tests).</summary>
    internal bool HasWriteBuffer => Volatile.Read(ref _writeBuffer) is not null;

    /// <summary>
    /// Gives the write buffer back if nothing was written since <paramref name="quietSince"/> (a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp) and no write is under way (the sweeper). A later write
    /// rents another.
    /// </summary>
    internal void ReleaseQuietWriteBuffer(long quietSince)
    {
        if (Volatile.Read(ref _writeBuffer) is null || Volatile.Read(ref _lastWrite) > quietSince || !TryAcquireWriterRole())
        {
            return;
        }
        // Holding the role: no writer uses the buffer now, and the write loop's final return waits for us.
        byte[]? buffer = _writeBuffer;
        if (buffer is not null && Volatile.Read(ref _lastWrite) <= quietSince)
        {
            _writeBuffer = null;
            BufferPool.Return(buffer);
        }
        ReleaseWriterRole();
    }

    protected override async Task ReadLoopAsync()
    {
        // An idle pipe should not pin a grown chunk (10,000 idle connections at 64 KiB would hold ~0.7 GB). Where the stream
        // supports it, a pipe holding no partial frame waits for data with a zero-byte read. If that wait does not
        // complete at once, the chunk is parked where IdleChunkSweeper gives it back to the pool once it has waited
        // over a second; the loop takes it back on waking if it is still there, or rents another. A pipe starts with
        // no chunk, and a read that filled the chunk says more is queued, so a busy pipe skips the wait altogether.
        // A pipe holding the start of a frame in a first-size chunk waits the same way, with those bytes set aside.
        bool releaseWhenIdle = WaitsOnZeroByteRead(_stream);
        byte[]? buffer = null;
        if (releaseWhenIdle)
        {
            IdleChunkSweeper.Add(this);
        }
        try
        {
            int start = 0;
            int end = 0;
            bool lastReadFilled = false;
            int prefixSize = FrameCodec.PrefixSize(_ipc);
            while (true)
            {
                if (start == end)
                {
                    start = end = 0;
                    if (releaseWhenIdle && !lastReadFilled)
                    {
                        ValueTask<int> ready = _stream.ReadAsync(Memory<byte>.Empty);
                        if (ready.IsCompleted)
                        {
                            // Data (or EOF) is already there: read it with the chunk we hold, no pool round trip.
                            ready.GetAwaiter().GetResult();
                        }
                        else
                        {
                            if (buffer is not null && buffer.Length <= MinBufferSize)
                            {
                                // A pipe that never needed more than the first chunk is not busy: the chunk goes
                                // back to the pool at once, where the next pipe takes it (no garbage per connection).
                                BufferPool.Return(buffer);
                                buffer = null;
                            }
                            else if (buffer is not null)
                            {
                                Volatile.Write(ref _parkedAt, Environment.TickCount64);
                                Volatile.Write(ref _parkedChunk, buffer);
                                buffer = null;
                            }
                            await ready.ConfigureAwait(false);
                            buffer = Interlocked.Exchange(ref _parkedChunk, null);
                        }
                    }
                }
                else
                {
                    if (releaseWhenIdle && !lastReadFilled && buffer!.Length <= MinBufferSize)
                    {
                        // A frame cut short with nothing more queued (a peer that writes the prefix and the body
                        // apart, or a slow one): wait for the rest without holding the chunk, as at a frame boundary.
                        // An idle pipe waiting mid-frame cost ~11 KiB, against ~7 at a boundary; 1,020 of them now
                        // hold 1.8 MB less GC heap.
                        ValueTask<int> ready = _stream.ReadAsync(Memory<byte>.Empty);
                        if (ready.IsCompleted)
                        {
                            ready.GetAwaiter().GetResult(); // the rest is there: nothing moves
                        }
                        else
                        {
                            byte[] partial = SetPartialAside(buffer, start, end);
                            buffer = null;
                            await ready.ConfigureAwait(false);
                            (buffer, start, end) = TakePartialBack(partial);
                        }
                    }
                    if (start > 0 && buffer!.Length - end < buffer.Length / 4)
                    {
                        // Keep room to read: move the partial frame to the front.
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                }

                if (buffer is null)
                {
                    buffer = BufferPool.Rent(MinBufferSize);
                }
                else if (lastReadFilled && buffer.Length < BufferSize)
                {
                    // More was waiting than the chunk held: a busy pipe reads in larger chunks.
                    GrowChunk(ref buffer, ref start, ref end, 2 * buffer.Length);
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
                lastReadFilled = end + read == buffer!.Length;
                end += read;

                // Parse every complete frame in what we have (until a large frame has taken the chunk's place).
                while (buffer is not null)
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
                    else if (prefixSize + size <= LargeFrameSize)
                    {
                        if (prefixSize + size > buffer.Length)
                        {
                            GrowChunk(ref buffer, ref start, ref end, prefixSize + size);
                        }
                        break; // fits in a chunk: read more first
                    }
                    else
                    {
                        // Larger than a chunk: read the rest straight into the message. It takes its full size
                        // while the process-wide LargeFrameBudget allows, and otherwise grows with what arrives, so
                        // peers trickling large messages hold about what they sent, not what they announced. The
                        // chunk goes back to the pool meanwhile.
                        bool budgeted = LargeFrameBudget.TryReserve(size);
                        message = Message.Create(budgeted ? size : Math.Min(size, Math.Max(available + ArrivedNotRead(), MinLargeReserve)));
                        buffer.AsSpan(start + prefixSize, available).CopyTo(message.Body);
                        start = end = 0;
                        BufferPool.Return(buffer);
                        buffer = null;
                        try
                        {
                            await ReadRestAsync(message, available, size).ConfigureAwait(false);
                        }
                        catch
                        {
                            message.Dispose();
                            throw;
                        }
                        finally
                        {
                            if (budgeted)
                            {
                                LargeFrameBudget.Release(size);
                            }
                        }
                    }
                    Host.Statistics.CountReceived(size);
                    await Host.DeliverAsync(this, message).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (releaseWhenIdle)
            {
                IdleChunkSweeper.Remove(this);
                buffer ??= Interlocked.Exchange(ref _parkedChunk, null);
            }
            if (buffer is not null)
            {
                BufferPool.Return(buffer);
            }
        }
    }

    /// <summary>
    /// Copies a cut-short frame's bytes (<paramref name="start"/> to <paramref name="end"/> of the first-size
    /// <paramref name="chunk"/>) to a buffer of their size and gives the chunk back to the pool, for a wait. The copies
    /// happen only when a pipe goes quiet mid-frame, never within a burst.
    /// </summary>
    private byte[] SetPartialAside(byte[] chunk, int start, int end)
    {
        int pending = end - start;
        byte[] partial = BufferPool.Rent(pending);
        chunk.AsSpan(start, pending).CopyTo(partial);
        BufferPool.Return(chunk);
        Volatile.Write(ref _waitingPartialLength, pending);
        return partial;
    }

    /// <summary>Puts the bytes set aside by <see cref="SetPartialAside"/> at the front of a fresh chunk.</summary>
    private (byte[] Chunk, int Start, int End) TakePartialBack(byte[] partial)
    {
        int pending = Volatile.Read(ref _waitingPartialLength);
        Volatile.Write(ref _waitingPartialLength, 0);
        byte[] chunk = BufferPool.Rent(MinBufferSize);
        partial.AsSpan(0, pending).CopyTo(chunk);
        BufferPool.Return(partial);
        return (chunk, 0, pending);
    }

    private int _waitingPartialLength;

    /// <summary>Bytes of a cut-short frame held while the pipe waits without a chunk, or 0 (for tests).</summary>
    internal int WaitingPartialLength => Volatile.Read(ref _waitingPartialLength);

    /// <summary>
    /// Replaces the read chunk with one of at least <paramref name="atLeast"/> bytes (at most <see cref="BufferSize"/>),
    /// moving the unparsed bytes to its front.
    /// </summary>
    private static void GrowChunk(ref byte[] buffer, ref int start, ref int end, int atLeast)
    {
        byte[] larger = BufferPool.Rent(Math.Min(atLeast, BufferSize));
        buffer.AsSpan(start, end - start).CopyTo(larger);
        BufferPool.Return(buffer);
        buffer = larger;
        end -= start;
        start = 0;
    }

    /// <summary>
    /// Reads bytes <paramref name="received"/> to <paramref name="size"/> of a message's body, growing the body's
    /// buffer only when what arrived has filled it, to twice its size or to what has arrived since: the memory held is
    /// at most twice what the peer has sent (and at least <see cref="MinLargeReserve"/>), never the length its header
    /// announced.
    /// </summary>
    private async ValueTask ReadRestAsync(Message message, int received, int size)
    {
        int capacity = message.BodyLength;
        while (received < size)
        {
            if (received == capacity)
            {
                capacity = (int)Math.Min(size, Math.Max(2L * capacity, (long)received + ArrivedNotRead()));
                message.Resize(capacity);
            }
            Volatile.Write(ref _partialMessageCapacity, capacity);
            int read = await _stream.ReadAsync(message.BodyMemory[received..capacity]).ConfigureAwait(false);
            if (read == 0)
            {
                // Same outcome as a small message cut short: an orderly close mid-message, not a reset.
                Host.Statistics.RecordConnectionError();
                throw new SpNetException(SpError.ConnectionShutdown, $"peer closed the connection in the middle of a {size}-byte message ({received} bytes of it received)");
            }
            received += read;
        }
        Volatile.Write(ref _partialMessageCapacity, 0);
    }

    private int _partialMessageCapacity;

    /// <summary>
    /// Bytes the kernel holds for this connection that have not been read yet (plain sockets; 0 otherwise). They have
    /// arrived, so reserving them is safe, and a fast sender's large message then takes one buffer, not a doubling
    /// series of copies (512 KiB messages: ~8 % slower with doubling alone).
    /// </summary>
    private int ArrivedNotRead()
    {
        try
        {
            return _socket?.Available ?? 0;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return 0; // the read that follows reports the broken connection
        }
    }

    /// <summary>Body bytes reserved for a large message still arriving, or 0 (for tests).</summary>
    internal int PartialMessageCapacity => Volatile.Read(ref _partialMessageCapacity);

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

    protected override bool CanFlushInline => _socket is not null;

    protected override void WriteInline(Message message)
    {
        byte[] buffer = WriteBuffer(FrameCodec.PrefixSize(_ipc) + message.Length);
        int length = message.Length;
        int used = Encode(message, buffer);
        message.Dispose();
        SendWriteBuffer(used, length);
    }

    protected override void FlushInline()
    {
        int prefixSize = FrameCodec.PrefixSize(_ipc);
        var queue = SendQueue;
        byte[] buffer = WriteBuffer(NeededToDrain(queue, prefixSize));
        int used = 0;
        while (queue.TryPeek(out Message? next) && next.Length < DirectWriteThreshold && used + prefixSize + next.Length <= buffer.Length)
        {
            // Under the role nobody else reads the queue, except the final drain of a pipe whose loops have ended:
            // then the message taken may not be the one measured, and the pipe is closing anyway.
            if (!queue.TryRead(out Message? message) || message != next)
            {
                message?.Dispose();
                break;
            }
            int length = message.Length;
            used += Encode(message, buffer.AsSpan(used));
            message.Dispose();
            Host.Statistics.CountSent(length);
        }
        if (used == 0)
        {
            ReleaseWriterRole();
            return;
        }
        SendWriteBuffer(used, countAs: -1);
        Host.OnWritable(this);
    }

    /// <summary>Writes a message's frame (prefix, header, body) at the start of <paramref name="destination"/>; returns its size.</summary>
    private int Encode(Message message, Span<byte> destination)
    {
        int used = FrameCodec.WritePrefix(destination, (ulong)message.Length, _ipc);
        message.Header.CopyTo(destination[used..]);
        used += message.HeaderLength;
        message.Body.CopyTo(destination[used..]);
        return used + message.BodyLength;
    }

    /// <summary>
    /// Sends the first <paramref name="used"/> bytes of the write buffer without blocking, holding the writer role: it
    /// is released at once when the kernel took everything, or after the rest was written asynchronously. Counts one
    /// message of <paramref name="countAs"/> bytes as sent (none when negative: the caller counted).
    /// </summary>
    private void SendWriteBuffer(int used, int countAs)
    {
        int sent;
        SocketError error;
        try
        {
            sent = _socket!.Send(_writeBuffer.AsSpan(0, used), SocketFlags.None, out error);
        }
        catch (Exception ex)
        {
            // Closed under us (ObjectDisposedException): the messages go the way of everything queued on a closed
            // pipe. Anything else breaks the connection like a failed write in the loop would.
            ReleaseWriterRole();
            if (!IsClosed)
            {
                Host.Statistics.RecordConnectionError();
                Close(SpError.ConnectionReset, ex.Message);
            }
            return;
        }
        if (error is SocketError.Success or SocketError.WouldBlock)
        {
            if (countAs >= 0)
            {
                Host.Statistics.CountSent(countAs);
            }
            if (error == SocketError.Success && sent == used)
            {
                Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
                ReturnSmallWriteBuffer();
                ReleaseWriterRole();
                return;
            }
            // The kernel's buffer is full: finish asynchronously, still holding the role, so the write loop (and any
            // later inline sender) waits behind it and order is kept.
            StartFinish(error == SocketError.Success ? sent : 0, used);
            return;
        }
        ReleaseWriterRole();
        if (!IsClosed)
        {
            Host.Statistics.RecordConnectionError();
            Close(SpError.ConnectionReset, $"send failed: {error}");
        }
    }

    // The rest of an inline write the kernel did not take at once, finished by socket sends that continue each other
    // through one cached delegate: a publisher that fills the kernel's buffer thousands of times a second allocates
    // nothing for it (an async method allocated its state machine each time).
    private ValueTask<int> _finishing;
    private int _finishOffset;
    private int _finishEnd;
    private Action? _continueFinish;

    /// <summary>Sends bytes <paramref name="offset"/> to <paramref name="end"/> of the write buffer asynchronously, then releases the writer role.</summary>
    private void StartFinish(int offset, int end)
    {
        _finishOffset = offset;
        _finishEnd = end;
        _finishing = new ValueTask<int>(0);
        ContinueFinish();
    }

    private void ContinueFinish()
    {
        while (true)
        {
            try
            {
                _finishOffset += _finishing.GetAwaiter().GetResult();
                if (_finishOffset < _finishEnd)
                {
#pragma warning disable CA2012 // kept in a field to be continued without an async state machine; consumed exactly once
                    _finishing = _socket!.SendAsync(_writeBuffer.AsMemory(_finishOffset, _finishEnd - _finishOffset), SocketFlags.None);
#pragma warning restore CA2012
                    if (!_finishing.IsCompleted)
                    {
                        _finishing.GetAwaiter().UnsafeOnCompleted(_continueFinish ??= ContinueFinish);
                        return;
                    }
                    continue;
                }
            }
            catch (Exception ex)
            {
                _finishing = default;
                ReleaseWriterRole();
                if (!IsClosed)
                {
                    Host.Statistics.RecordConnectionError();
                    Close(SpError.ConnectionReset, ex.Message);
                }
                return;
            }
            _finishing = default;
            Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
            ReleaseWriterRole();
            return;
        }
    }

    protected override async Task WriteLoopAsync()
    {
        try
        {
            var queue = SendQueue;
            int prefixSize = FrameCodec.PrefixSize(_ipc);
            while (await queue.WaitToReadAsync().ConfigureAwait(false))
            {
                await AcquireWriterRoleAsync().ConfigureAwait(false);
                try
                {
                    await DrainQueueAsync(queue, WriteBuffer(NeededToDrain(queue, prefixSize)), prefixSize).ConfigureAwait(false);
                }
                finally
                {
                    Volatile.Write(ref _lastWrite, System.Diagnostics.Stopwatch.GetTimestamp());
                    ReturnSmallWriteBuffer();
                    ReleaseWriterRole();
                }
                Host.OnWritable(this);
            }
        }
        finally
        {
            // Keep the role for good: no inline sender may touch the buffer once it is back in the pool.
            await AcquireWriterRoleAsync().ConfigureAwait(false);
            if (_writeBuffer is not null)
            {
                BufferPool.Return(_writeBuffer);
                _writeBuffer = null;
            }
        }
    }

    /// <summary>
    /// What one drain needs, judged by the first queued message as if all were its size (a body written from its own
    /// buffer needs only its prefix and header here): a pipe whose queue holds a few small messages does not take the
    /// largest buffer (1,000 pipes each with two requests queued would hold 256 MB).
    /// </summary>
    private static int NeededToDrain(System.Threading.Channels.ChannelReader<Message> queue, int prefixSize)
    {
        if (!queue.TryPeek(out Message? first))
        {
            return MinBufferSize;
        }
        int frame = prefixSize + (first.Length >= DirectWriteThreshold ? first.HeaderLength : first.Length);
        return (int)Math.Min(BufferSize, (long)Math.Max(1, queue.Count) * frame);
    }

    /// <summary>Writes everything queued (up to one buffer's worth) while holding the writer role.</summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DrainQueueAsync(System.Threading.Channels.ChannelReader<Message> queue, byte[] buffer, int prefixSize)
    {
        int used = 0;
        while (used < buffer.Length - prefixSize && queue.TryRead(out Message? message))
        {
            try
            {
                int length = message.Length;
                if (length >= DirectWriteThreshold)
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
                    if (used + prefixSize + length > buffer.Length)
                    {
                        // The buffer was sized by the first message queued; a larger one behind it goes out after
                        // what is buffered, in a buffer grown to take it, still coalesced with what follows.
                        await _stream.WriteAsync(buffer.AsMemory(0, used)).ConfigureAwait(false);
                        used = 0;
                        buffer = WriteBuffer(prefixSize + length);
                    }
                    used += Encode(message, buffer.AsSpan(used));
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
