using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Cli.Tests.Compare;

/// <summary>
/// nngcat's own shell tests (src/tools/nngcat/nngcat_*_test.sh) in spirit: each script in scripts/ runs once with
/// nngcat and once with spcat as its cat command, concurrently on different ports; what the script prints (the
/// messages received, exit codes, checksums) must be identical. Skipped without nngcat unless SPNET_REQUIRE_PEERS=1.
/// </summary>
[Trait("Category", "NngcatCompare")]
public sealed class ScriptComparisonTests
{
    // A bound for a hang, not a speed check: at load ~150 (.ci/stress beside other work) each spcat process took
    // seconds to start, and pipeline_test.sh's five pushers outlasted its pull's old 20 s kill bound. The scripts'
    // own bounds are 60-120 s for the same reason; a run that succeeds prints the same whatever the bounds.
    private static readonly TimeSpan ScriptLimit = TimeSpan.FromSeconds(300);

    [PeerTheory(Peers.NngCat, Peers.SpCat)]
    [InlineData("pubsub_test.sh")]
    [InlineData("reqrep_test.sh")]
    [InlineData("pipeline_test.sh")]
    [InlineData("async_test.sh")]
    public async Task Script_prints_the_same_with_spcat_as_with_nngcat(string script)
    {
        Task<CatResult> withNngcat = RunScriptAsync(script, Peers.Require(Peers.NngCat));
        Task<CatResult> withSpcat = RunScriptAsync(script, Peers.Require(Peers.SpCat));
        CatResult expected = await withNngcat;
        CatResult actual = await withSpcat;
        Assert.False(expected.TimedOut, $"nngcat run of {script}: {expected}");
        Assert.Equal(0, expected.ExitCode);
        Assert.Equal(expected.StdoutText, actual.StdoutText);
        Assert.Equal(expected.ExitCode, actual.ExitCode);
    }

    private static async Task<CatResult> RunScriptAsync(string script, PeerTool cat)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "scripts", script);
        using TempDirectory work = TempDirectory.Create("spcat-script-");
        string command = string.Join(' ', [cat.FileName, .. cat.LeadingArguments]);
        var bash = new PeerTool("bash", "/bin/bash", [path]);
        string port = TestNetwork.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await CatProcess.RunAsync(bash, [command, port, work.Path], null, ScriptLimit, work.Path);
    }
}
