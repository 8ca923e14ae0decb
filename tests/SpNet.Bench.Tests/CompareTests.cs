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
            // Two libraries keep it short: every case still runs, each side in its own process.
            SpBench.Result result = SpBench.Run("compare", "--quick", "--lib", "spnet-async,nanomsg", "--out", dir);
            Assert.True(result.ExitCode == 0, result.Error);
            string markdown = File.ReadAllText(Path.Combine(dir, "benchmarks.md"));
            Assert.Contains("## Targets (issue 12), from this run", markdown, StringComparison.Ordinal);
            Assert.Contains("## PAIR0 throughput", markdown, StringComparison.Ordinal);
            Assert.Contains("| Transport | Size | SpNet (async) | nanomsg 1.1.5 |", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| tcp \(2 processes\) \| 1 KiB \| [\d,]+ · [\d.]+ \|", markdown);
            Assert.Matches(@"\| inproc \(1 process\) \| 1 KiB \| [\d,]+ · [\d.]+ \|", markdown);
            Assert.Contains("## Mean latency against messages sent back to back", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| 1,000 \| [\d,.]+ (µs|ms) \|", markdown);
            Assert.Contains("PUB/SUB", markdown, StringComparison.Ordinal);
            Assert.Contains("Managed allocation per message", markdown, StringComparison.Ordinal);
            Assert.Contains("## REQ/REP with contexts: 100 REQ clients", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| SpNet \(async\) \| [\d,]+ \| [\d,]+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| 0 \| 0 \|", markdown);
            Assert.Contains("| nanomsg 1.1.5 | n/a (nanomsg 1.1.5 has no contexts", markdown, StringComparison.Ordinal);
            Assert.Matches(@"\| throughput ≥ 1\.5× best peer \| PAIR0 tcp 1 KiB \| async \| [\d,]+ msg/s \| (nanomsg 1\.1\.5: [\d,]+ msg/s \| [\d.]+|not measured \| ) \| ≥ 1\.50 \| (\*\*met\*\*|missed|not measured) \|", markdown);
            Assert.Contains("[  1/", result.Error, StringComparison.Ordinal); // progress on stderr
            if (NativeProbe.IsAvailable(Library.Nanomsg))
            {
                Assert.DoesNotContain("error:", markdown, StringComparison.Ordinal);
            }
            foreach (string chart in new[] { "throughput.svg", "latency-by-count.svg" })
            {
                string svg = File.ReadAllText(Path.Combine(dir, "img", chart));
                Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svg, StringComparison.Ordinal);
                System.Xml.Linq.XDocument.Parse(svg);
            }
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
    public void Pair1IsTheDefault_AsNngPerf()
    {
        Assert.Equal(Pattern.Pair1, Patterns.DefaultPattern);
        Assert.Equal(Pattern.Pair1, Commands.PerfOptions.Parse(["tcp://127.0.0.1:1", "1", "1"]).Pattern);
    }
}
