using System.Diagnostics;
using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;
using SpNet.Bench.Report;

namespace SpNet.Bench.Commands;

/// <summary>
/// <c>spbench compare [--quick] [--lib L,…] [--one-process] [--out DIR]</c>: the fixed matrix, SpNet vs NNG vs nanomsg
/// vs NetMQ, each side of each case in its own process (inproc: one process), written to DIR/benchmarks.md with its
/// charts under DIR/img (DIR defaults to the repository's docs/).
/// </summary>
internal sealed class CompareCommand(TextWriter output, TextWriter error)
{
    public int Run(string[] args)
    {
        bool quick = false, oneProcess = false;
        string? outDir = null;
        IReadOnlyList<Library>? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--one-process":
                    oneProcess = true;
                    break;
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                case "--lib" when i + 1 < args.Length:
                    only = [.. args[++i].Split(',').Select(Patterns.ParseLibrary)];
                    break;
                default:
                    throw new BenchException($"compare: unknown argument {args[i]} (--quick, --lib L,…, --one-process, --out DIR)");
            }
        }
        outDir ??= Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "docs");
        var plan = CompareMatrix.Create(quick, only);
        var results = new CompareResults(oneProcess ? Placement.OneProcess : Placement.Processes);
        string loadBefore = MachineInfo.ReadLoad();
        var clock = Stopwatch.StartNew();
        int step = 0;
        foreach (BenchCase c in plan.Cases)
        {
            step++;
            error.Write(string.Create(CultureInfo.InvariantCulture, $"[{step,3}/{plan.Cases.Count}] {clock.Elapsed:mm\\:ss} {c.Describe(),-52} "));
            error.Flush();
            error.WriteLine(results.Execute(c));
        }
        TimeSpan duration = clock.Elapsed;
        string command = "spbench compare" + string.Concat(args.Where(a => a != "--out" && !IsOutValue(args, a)).Select(a => " " + a));
        var report = new CompareReport(plan, results, MachineInfo.Capture(loadBefore), command, duration);
        Directory.CreateDirectory(Path.Combine(outDir, "img"));
        File.WriteAllText(Path.Combine(outDir, "benchmarks.md"), report.Markdown());
        File.WriteAllText(Path.Combine(outDir, "img", "throughput.svg"), report.ThroughputChart());
        File.WriteAllText(Path.Combine(outDir, "img", "latency-by-count.svg"), report.StreamLatencyChart());
        output.Write(report.Markdown());
        output.Flush();
        error.WriteLine($"wrote {Path.Combine(outDir, "benchmarks.md")} and its charts in {outDir}/img in {duration:mm\\:ss}");
        return 0;
    }

    private static bool IsOutValue(string[] args, string arg)
    {
        int i = Array.IndexOf(args, arg);
        return i > 0 && args[i - 1] == "--out";
    }

    private static string? RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SpNet.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
