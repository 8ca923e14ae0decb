using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using SpNet.Cli.Tests.Compare;
using SpNet.TestKit;

namespace SpNet.Cli.Tests;

/// <summary>
/// <c>spcat --help</c> names every command and every URL scheme the library accepts; <c>spcat version</c> prints spcat's
/// version, the SpNet library's and the runtime's, while <c>--version</c> stays nngcat's 1.5.2 for scripts.
/// </summary>
public sealed partial class HelpAndVersionTests
{
    [Fact]
    public async Task Help_lists_every_command()
    {
        CatRun run = await CatRun.CompleteAsync("--help");
        Assert.Equal(1, await run.Task);
        string help = run.Stdout.Text;
        foreach (string command in (string[])["spcat <protocol>", "spcat demo", "spcat discovery serve|register|watch", "spcat service host|request|broadcast|gather|publish|subscribe|tunnel", "spcat version"])
        {
            Assert.Contains(command, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Help_lists_every_url_scheme_the_library_accepts()
    {
        // The library names what it supports when it refuses a scheme; that list, not one copied here, is the truth.
        await using var socket = new PairSocket();
        SpNetException refused = Assert.Throws<SpNetException>(() => socket.Listen("nosuchscheme://x"));
        Match supported = SupportedList().Match(refused.Message);
        Assert.True(supported.Success, refused.Message);
        string[] schemes = supported.Groups["list"].Value.Split(", ");
        Assert.Contains("ws", schemes);
        Assert.Contains("tls+tcp", schemes);

        CatRun run = await CatRun.CompleteAsync("--help");
        string help = run.Stdout.Text;
        Assert.All(schemes, scheme => Assert.Contains($"{scheme}://", help, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Version_command_names_spcat_the_library_and_the_runtime()
    {
        using var output = new StringWriter();
        Assert.Equal(0, await VersionCommand.RunAsync(output));
        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal($"spcat {Informational(typeof(CatApp).Assembly)}", lines[0]);
        Assert.Equal($"SpNet {Informational(typeof(Socket).Assembly)}", lines[1]);
        Assert.StartsWith(RuntimeInformation.FrameworkDescription, lines[2], StringComparison.Ordinal);
        Assert.Equal("nngcat-compatible 1.5.2", lines[3]);
        Assert.Matches(@"^spcat \d+\.\d+\.\d+", lines[0]);
    }

    [PeerFact(Peers.SpCat)]
    public async Task Spcat_version_and_dash_dash_version_as_processes()
    {
        PeerTool spcat = Peers.Require(Peers.SpCat);
        CatResult version = await CatProcess.RunAsync(spcat, ["version"], null, TimeSpan.FromSeconds(60));
        Assert.Equal(0, version.ExitCode);
        Assert.Equal(VersionCommand.Text, version.StdoutText);

        CatResult nngcatStyle = await CatProcess.RunAsync(spcat, ["--version"], null, TimeSpan.FromSeconds(60));
        Assert.Equal(0, nngcatStyle.ExitCode);
        Assert.Equal("1.5.2\n", nngcatStyle.StdoutText);
    }

    private static string Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

    [GeneratedRegex(@"\(supported: (?<list>[^)]+)\)")]
    private static partial Regex SupportedList();
}
