using BenchmarkDotNet.Attributes;
using SpNet.Transports.Framing;

namespace SpNet.Benchmarks;

/// <summary>The 8-byte (tcp) and 9-byte (ipc) length prefix, written and parsed.</summary>
[MemoryDiagnoser]
public class FramingBenchmarks
{
    private readonly byte[] _buffer = new byte[16];
    private readonly byte[] _tcpFrame = new byte[16];
    private readonly byte[] _ipcFrame = new byte[16];

    [GlobalSetup]
    public void Setup()
    {
        FrameCodec.WritePrefix(_tcpFrame, 1024, ipc: false);
        FrameCodec.WritePrefix(_ipcFrame, 1024, ipc: true);
    }

    [Benchmark]
    public int WritePrefixTcp() => FrameCodec.WritePrefix(_buffer, 1024, ipc: false);

    [Benchmark]
    public ulong ReadPrefixTcp()
    {
        _ = FrameCodec.TryReadPrefix(_tcpFrame, ipc: false, maxLength: 1 << 20, out ulong length);
        return length;
    }

    [Benchmark]
    public ulong ReadPrefixIpc()
    {
        _ = FrameCodec.TryReadPrefix(_ipcFrame, ipc: true, maxLength: 1 << 20, out ulong length);
        return length;
    }
}
