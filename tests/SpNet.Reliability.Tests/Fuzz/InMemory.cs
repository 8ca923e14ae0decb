using SpNet.Core;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>A read side that hands out <paramref name="data"/> in random-sized chunks, then EOF; writes are discarded.</summary>
internal sealed class ChunkedStream(byte[] data, Random random) : Stream
{
    private int _position;
    private volatile bool _disposed;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n;
        lock (random)
        {
            n = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + random.Next(200));
        }
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(byte[] buffer, int offset, int count) => ObjectDisposedException.ThrowIf(_disposed, this);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>Collects what a pipe delivers (sizes only; messages are freed at once).</summary>
internal sealed class CollectingHost : IPipeHost
{
    public List<int> Sizes { get; } = [];

    public int ClosedCount;

    public SocketStatistics Statistics { get; } = new();

    public ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        lock (Sizes)
        {
            Sizes.Add(message.Length);
        }
        message.Dispose();
        return ValueTask.CompletedTask;
    }

    public void OnWritable(Pipe pipe)
    {
    }

    public void OnClosed(Pipe pipe) => Interlocked.Increment(ref ClosedCount);
}

/// <summary>A pipe with no transport, for decoders that need one to close (PAIR1, backtraces).</summary>
internal sealed class NullPipe() : Pipe(0x11, "null://local", "null://remote", 1)
{
    protected override Task ReadLoopAsync() => Task.CompletedTask;

    protected override Task WriteLoopAsync() => Task.CompletedTask;

    protected override void CloseTransport()
    {
    }
}
