using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Cli.Tests.Compare;

/// <summary>
/// spcat as a drop-in for nngcat 1.5.2: every argument set in <see cref="NngcatCases"/> runs through the real nngcat
/// and through spcat (both as processes); stdout bytes, stderr text and exit code must be identical, except for the
/// parts an <see cref="NngcatCases.Allowed"/> entry names, with its reason. Skipped when nngcat is not installed,
/// unless SPNET_REQUIRE_PEERS=1.
/// </summary>
[Trait("Category", "NngcatCompare")]
public sealed class NngcatComparisonTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(10);

    [PeerFact(Peers.NngCat, Peers.SpCat)]
    public async Task Every_argument_set_behaves_as_nngcat()
    {
        PeerTool nngcat = Peers.Require(Peers.NngCat);
        PeerTool spcat = Peers.Require(Peers.SpCat);
        using TempDirectory dir = TempDirectory.Create("spcat-compare-");
        string file = Path.Combine(dir.Path, "data.txt");
        await File.WriteAllTextAsync(file, "hi\n");
        var failures = new ConcurrentBag<string>();
        int identical = 0;
        int allowed = 0;
        // Two cases at a time: most runs are process start-up, and the machine is shared.
        await Parallel.ForEachAsync(NngcatCases.All, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (template, _) =>
        {
            string name = NngcatCases.NameOf(template);
            string ipc = Path.Combine(dir.Path, $"s{Guid.NewGuid():N}"[..12] + ".sock");
            string port = TestNetwork.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
            string[] args = [.. template.Select(a => a.Replace("{FILE}", file, StringComparison.Ordinal)
                .Replace("{DIR}", dir.Path, StringComparison.Ordinal).Replace("{PORT}", port, StringComparison.Ordinal)
                .Replace("{IPC}", ipc, StringComparison.Ordinal))];
            CatResult expected = await CatProcess.RunAsync(nngcat, args, null, RunLimit, dir.Path);
            File.Delete(ipc);
            CatResult actual = await CatProcess.RunAsync(spcat, args, null, RunLimit, dir.Path);
            Differs differs = Compare(expected, actual);
            Allowance? allowance = NngcatCases.Allowed.GetValueOrDefault(name);
            if (differs == Differs.None)
            {
                Interlocked.Increment(ref identical);
            }
            else if (allowance is not null && (differs & ~allowance.Parts) == Differs.None && !actual.TimedOut)
            {
                Interlocked.Increment(ref allowed);
            }
            else
            {
                failures.Add($"[{name}] differs in {differs}\n  nngcat: {expected}\n  spcat:  {actual}");
            }
        });
        output.WriteLine($"{NngcatCases.All.Length} argument sets: {identical} identical, {allowed} allow-listed differences, {failures.Count} failures");
        Assert.True(failures.IsEmpty, string.Join('\n', failures.OrderBy(f => f, StringComparer.Ordinal)));
    }

    [Fact]
    public void Allow_list_names_only_cases_that_exist()
    {
        var names = NngcatCases.All.Select(NngcatCases.NameOf).ToHashSet(StringComparer.Ordinal);
        Assert.All(NngcatCases.Allowed.Keys, k => Assert.Contains(k, names));
        Assert.Equal(names.Count, NngcatCases.All.Length); // no duplicate case
    }

    private static Differs Compare(CatResult a, CatResult b)
    {
        Differs d = Differs.None;
        if (!a.Stdout.AsSpan().SequenceEqual(b.Stdout))
        {
            d |= Differs.Stdout;
        }
        if (!string.Equals(a.Stderr, b.Stderr, StringComparison.Ordinal))
        {
            d |= Differs.Stderr;
        }
        if (a.ExitCode != b.ExitCode || a.TimedOut != b.TimedOut)
        {
            d |= Differs.ExitCode;
        }
        return d;
    }
}
