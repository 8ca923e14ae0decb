using System.Diagnostics;
using System.Text.RegularExpressions;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Fuzz.Tests;

/// <summary>
/// A short afl-fuzz run of every target (tests/fuzz/run.sh TARGET SECONDS): it must start, execute inputs, and find
/// no crash and no hang. <c>SPNET_AFL_SECONDS</c> sets the time per target (20 s by default: CI runs all seven in
/// about three minutes; the longer runs behind docs/reliability.md's figures use run.sh directly).
/// </summary>
public sealed partial class AflSmokeTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets => [.. FuzzTargets.Names];

    private static string Root => Peers.RepositoryRoot() ?? throw new InvalidOperationException("repository root (SpNet.slnx) not found above the test assembly");

    [Theory]
    [Trait("Category", "Fuzz")]
    [MemberData(nameof(Targets))]
    public async Task Afl_finds_no_crash_or_hang(string target)
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable("SPNET_AFL_SECONDS"), out int s) && s > 0 ? s : 20;
        var start = new ProcessStartInfo("bash", [Path.Combine(Root, "tests", "fuzz", "run.sh"), target, seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process run = Process.Start(start)!;
        Task<string> stdout = run.StandardOutput.ReadToEndAsync();
        Task<string> stderr = run.StandardError.ReadToEndAsync();
        // Publishing and instrumenting come first; the bound is the fuzzing time plus a generous allowance for them.
        await Eventually.Within(run.WaitForExitAsync(), $"run.sh {target} {seconds}", TimeSpan.FromSeconds(seconds + 300));
        string summary = (await stdout).Trim();
        output.WriteLine(summary);
        output.WriteLine(await stderr);
        Match m = Summary().Match(summary);
        Assert.True(m.Success, $"no summary line from run.sh: {summary}");
        Assert.True(long.Parse(m.Groups["execs"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, "afl-fuzz executed nothing");
        Assert.Equal("0", m.Groups["crashes"].Value);
        Assert.Equal("0", m.Groups["hangs"].Value);
        Assert.Equal(0, run.ExitCode);
    }

    [GeneratedRegex(@"^fuzz \S+: \d+ s, (?<execs>\d+) execs .* (?<crashes>\d+) crashes, (?<hangs>\d+) hangs$", RegexOptions.Multiline)]
    private static partial Regex Summary();
}
