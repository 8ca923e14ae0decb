using BenchmarkDotNet.Attributes;

namespace SpNet.Benchmarks;

/// <summary>One PAIR0 message over inproc, send then receive on the same thread: routing and pooling cost, no I/O.</summary>
[MemoryDiagnoser]
public class InprocBenchmarks
{
    private PairSocket _a = null!;
    private PairSocket _b = null!;
    private readonly byte[] _body = new byte[64];

    [GlobalSetup]
    public void Setup()
    {
        _a = new PairSocket();
        _b = new PairSocket();
        string url = $"inproc://bdn-{Environment.ProcessId}";
        _a.Listen(url);
        _b.DialAsync(url).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _b.Dispose();
        _a.Dispose();
    }

    [Benchmark]
    public int SendReceive64()
    {
        _a.Send(_body);
        using Message message = _b.Receive();
        return message.BodyLength;
    }
}
