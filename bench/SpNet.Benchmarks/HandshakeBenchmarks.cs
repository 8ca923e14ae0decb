using BenchmarkDotNet.Attributes;
using SpNet.Transports.Framing;

namespace SpNet.Benchmarks;

/// <summary>The 8-byte SP header: writing ours, parsing the peer's.</summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private readonly byte[] _buffer = new byte[Handshake.Size];
    private readonly byte[] _header = new byte[Handshake.Size];

    [GlobalSetup]
    public void Setup() => Handshake.Write(_header, 0x30);

    [Benchmark]
    public void Write() => Handshake.Write(_buffer, 0x31);

    [Benchmark]
    public ushort Parse() => Handshake.Parse(_header);
}
