using System.Diagnostics;
using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Report;

namespace SpNet.Bench.Commands;

/// <summary>
/// <c>spbench compare [--quick] [--out DIR]</c>: the fixed matrix, SpNet vs NNG vs nanomsg, written to
/// DIR/benchmarks.md and DIR/img/throughput.svg (DIR defaults to the repository's docs/).
/// </summary>
internal sealed class CompareCommand(TextWriter output, TextWriter error)
{
    public static readonly int[] Sizes = [64, 1024, 16384];
    public static readonly Library[] Libraries = [Library.SpNet, Library.SpNetAsync, Library.Nng, Library.Nanomsg];

    public int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        string? outDir = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                outDir = args[++i];
            }
            else if (args[i] != "--quick")
            {
                throw new BenchException($"compare: unknown argument {args[i]} (--quick, --out DIR)");
            }
        }
        outDir ??= Path.Combine(RepositoryRoot() ?? Directory.GetCurrentDirectory(), "docs");
        var plan = CompareMatrix.Create(quick);
        var results = new CompareResults(plan);
        var clock = Stopwatch.StartNew();

        WarmUp();
        int step = 0;
        foreach (CompareMatrix.Run run in plan.Runs)
        {
            step++;
            error.Write(string.Create(CultureInfo.InvariantCulture, $"[{step,3}/{plan.Runs.Count}] {clock.Elapsed:mm\\:ss} {run.Describe(),-52} "));
            error.Flush();
            string cell = results.Execute(run);
            error.WriteLine(cell);
        }
        string command = "spbench compare" + (quick ? " --quick" : "");
        string markdown = new CompareReport(plan, results, MachineInfo.Capture(), command, clock.Elapsed).Markdown();
        Directory.CreateDirectory(Path.Combine(outDir, "img"));
        File.WriteAllText(Path.Combine(outDir, "benchmarks.md"), markdown);
        File.WriteAllText(Path.Combine(outDir, "img", "throughput.svg"), CompareReport.Chart(plan, results));
        output.Write(markdown);
        output.Flush();
        error.WriteLine($"wrote {Path.Combine(outDir, "benchmarks.md")} and {Path.Combine(outDir, "img", "throughput.svg")} in {clock.Elapsed:mm\\:ss}");
        return 0;
    }

    /// <summary>JIT SpNet's paths before anything is timed (tiered compilation would otherwise charge the first run).</summary>
    private static void WarmUp()
    {
        foreach (Library library in new[] { Library.SpNet, Library.SpNetAsync })
        {
            foreach (string transport in new[] { "tcp", "inproc" })
            {
                _ = Runs.Throughput(library, transport, Pattern.Pair0, 64, 20_000);
                _ = Runs.Throughput(library, transport, Pattern.Push, 64, 20_000);
                _ = Runs.Latency(library, transport, Pattern.Pair0, 64, 500);
            }
            // Contexts take paths the socket-level runs do not (REQ/REP contexts, mailboxes).
            _ = ReqRepRuns.Run(library, new ReqRepOptions(50, 4, 64, "tcp", Duration: null, Trips: 2_000, Sockets: false));
        }
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
