using System.Text;
using BenchmarkDotNet.Attributes;
using SpNet.Protocols.Routing;

namespace SpNet.Benchmarks;

/// <summary>SUB prefix matching: must not grow with the number of subscriptions (a trie).</summary>
[MemoryDiagnoser]
public class SubscriptionBenchmarks
{
    private readonly SubscriptionSet _set = new();
    private byte[] _hit = [];
    private byte[] _miss = [];

    [Params(1, 1_000, 100_000)]
    public int Subscriptions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        for (int i = 0; i < Subscriptions; i++)
        {
            _set.Add(Topic(i));
        }
        _hit = [.. Topic(Subscriptions - 1), .. new byte[55]];
        _miss = [.. "u/"u8, .. new byte[62]];
    }

    [Benchmark]
    public bool MatchLastAdded() => _set.Matches(_hit);

    [Benchmark]
    public bool Miss() => _set.Matches(_miss);

    private static byte[] Topic(int i) => Encoding.ASCII.GetBytes($"t/{i:D6}/");
}
