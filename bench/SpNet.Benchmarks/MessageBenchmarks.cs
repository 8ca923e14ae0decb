using BenchmarkDotNet.Attributes;

namespace SpNet.Benchmarks;

/// <summary>Message create/dispose over the pool, by body size.</summary>
[MemoryDiagnoser]
public class MessageBenchmarks
{
    private byte[] _body = [];

    [Params(64, 1024, 16384)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup() => _body = new byte[Size];

    [Benchmark]
    public int CreateDispose()
    {
        using Message message = Message.Create(Size);
        return message.BodyLength;
    }

    [Benchmark]
    public int CreateFromSpanDispose()
    {
        using Message message = Message.Create(_body);
        return message.BodyLength;
    }

    [Benchmark]
    public int CreateOnOneThreadDisposeOnAnother()
    {
        // As a pipe does: the read loop creates, a user thread disposes.
        Message message = Message.Create(Size);
        int length = message.BodyLength;
        ThreadPool.UnsafeQueueUserWorkItem(static m => m.Dispose(), message, preferLocal: false);
        return length;
    }
}
