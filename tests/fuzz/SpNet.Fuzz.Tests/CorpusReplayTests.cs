using SpNet.TestKit;

namespace SpNet.Fuzz.Tests;

/// <summary>Every seed of every target's corpus (captured nngcat/nanocat traffic, mostly) keeps the target's contract, uninstrumented.</summary>
public sealed class CorpusReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    private static string Root => Peers.RepositoryRoot() ?? throw new InvalidOperationException("repository root (SpNet.slnx) not found above the test assembly");

    [Theory]
    [Trait("Category", "Fuzz")]
    [MemberData(nameof(Targets))]
    public void Every_seed_keeps_the_contract(string target)
    {
        string corpus = Path.Combine(Root, "tests", "fuzz", "corpus", target);
        string[] seeds = Directory.GetFiles(corpus);
        Assert.NotEmpty(seeds);
        Assert.True(FuzzTargets.TryGet(target, out Action<byte[]>? run));
        foreach (string seed in seeds)
        {
            run(File.ReadAllBytes(seed));
        }
    }
}
