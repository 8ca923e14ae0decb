using SpNet.Bench.Harness;

namespace SpNet.Bench.Tests;

/// <summary><c>spbench compare --quick</c> writes the markdown tables and the chart.</summary>
public sealed class CompareTests
{
    [Fact]
    public void QuickCompare_WritesMarkdownAndSvg()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"spbench-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            SpBench.Result result = SpBench.Run("compare", "--quick", "--out", dir);
            Assert.True(result.ExitCode == 0, result.Error);
            string markdown = File.ReadAllText(Path.Combine(dir, "benchmarks.md"));
            Assert.Contains("## PAIR0 throughput", markdown, StringComparison.Ordinal);
            Assert.Contains("| Transport | Size | SpNet (sync) | SpNet (async) | NNG 1.5.2 | nanomsg 1.1.5 |", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| tcp \| 64 B \| [\d,]+ · [\d.]+ MB/s \|", markdown);
            Assert.Contains("PUB/SUB", markdown, StringComparison.Ordinal);
            Assert.Contains("Managed allocation per message", markdown, StringComparison.Ordinal);
            Assert.Contains("## REQ/REP with contexts: 100 REQ clients", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| SpNet \(async\) \| [\d,]+ \| [\d,]+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| 0 \| 0 \|", markdown);
            Assert.Contains("| nanomsg 1.1.5 | n/a (nanomsg has no contexts", markdown, StringComparison.Ordinal);
            Assert.Contains("[  1/", result.Error, StringComparison.Ordinal); // progress on stderr
            if (NativeProbe.IsAvailable(Library.Nng) && NativeProbe.IsAvailable(Library.Nanomsg))
            {
                Assert.DoesNotContain("error:", markdown, StringComparison.Ordinal);
            }
            string svg = File.ReadAllText(Path.Combine(dir, "img", "throughput.svg"));
            Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
            System.Xml.Linq.XDocument.Parse(svg);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Pair1Default_FallsBackToPair0UntilSpNetHasIt()
    {
        Assert.Equal(SpNetBenchSocket.HasPair1 ? Pattern.Pair1 : Pattern.Pair0, Patterns.DefaultPattern);
    }
}
