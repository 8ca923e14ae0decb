namespace SpNet.Fuzz.Support;

/// <summary>
/// A connection's read side made of one input: handed out in chunks of 1-200 bytes chosen by <paramref name="seed"/>
/// (so a frame split across reads is exercised, and the same input always splits the same way), then EOF. Writes
/// are discarded. Like a closed socket's stream, it throws <see cref="ObjectDisposedException"/> once disposed.
/// </summary>
internal sealed class ChunkedStream(byte[] data, int seed) : Stream
{
    private readonly Random _random = new(seed);
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
        lock (_random)
        {
            int n = Math.Min(Math.Min(buffer.Length, data.Length - _position), 1 + _random.Next(200));
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Write(byte[] buffer, int offset, int count) => ObjectDisposedException.ThrowIf(_disposed, this);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }
}
