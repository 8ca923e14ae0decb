using System.Text.RegularExpressions;

namespace SpNet.Bench.Tests;

/// <summary>Runs spbench's entry point in this process and captures what it prints.</summary>
internal static partial class SpBench
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs a role on its own thread (the other role runs on the caller's), bounded in time.</summary>
    public static Task<Result> RunInBackground(params string[] args) =>
        Task.Factory.StartNew(() => Run(args), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>The throughput lines exactly as NNG 1.5.2's perf prints them.</summary>
    [GeneratedRegex(@"\Atotal time: \d+\.\d{3} \[s\]\nmessage size: (?<size>\d+) \[B\]\nmessage count: (?<count>\d+)\nthroughput: \d+ \[msg/s\]\nthroughput: \d+\.\d{3} \[Mb/s\]\n\z")]
    public static partial Regex ThroughputOutput();

    /// <summary>The latency lines exactly as NNG 1.5.2's perf prints them.</summary>
    [GeneratedRegex(@"\Atotal time: \d+\.\d{3} \[s\]\nmessage size: (?<size>\d+) \[B\]\nround trip count: (?<trips>\d+)\naverage latency: \d+\.\d{3} \[us\]\n\z")]
    public static partial Regex LatencyOutput();

    public static void AssertThroughput(Result result, int size, int count) => AssertPerfLines(result, ThroughputOutput(), size, "count", count);

    public static void AssertLatency(Result result, int size, int trips) => AssertPerfLines(result, LatencyOutput(), size, "trips", trips);

    /// <summary>A clean exit whose output is exactly <paramref name="lines"/>, naming <paramref name="size"/> and <paramref name="count"/> in its <paramref name="countGroup"/>.</summary>
    private static void AssertPerfLines(Result result, Regex lines, int size, string countGroup, int count)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Match m = lines.Match(result.Output.ReplaceLineEndings("\n"));
        Assert.True(m.Success, "unexpected output:\n" + result.Output);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups["size"].Value);
        Assert.Equal(count.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Groups[countGroup].Value);
    }
}
