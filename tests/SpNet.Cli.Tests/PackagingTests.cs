using System.Net;
using System.Net.Sockets;
using SpNet.Cli.Tests.Compare;
using SpNet.TestKit;

namespace SpNet.Cli.Tests;

/// <summary>
/// spcat as a .NET tool: packs the already built SpNet.Cli (dotnet pack --no-build), installs it with
/// dotnet tool install --tool-path from that folder alone (a nuget.config that clears every other source, so it works
/// offline), then runs the installed spcat: --version, and a REQ/REP exchange between two installed spcats.
/// Filter with --filter Category=Packaging.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackagingTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(50);
    private const string Version = "0.1.0";

    [Fact]
    public async Task Packed_tool_installs_from_a_local_folder_and_runs()
    {
        string root = Peers.RepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        string work = Directory.CreateTempSubdirectory("spcat-tool-").FullName;
        try
        {
            string packages = Path.Combine(work, "packages");
            string tools = Path.Combine(work, "tools");
            await File.WriteAllTextAsync(Path.Combine(work, "nuget.config"),
                $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");
            var dotnet = new PeerTool("dotnet", DotnetHost(), []);
            var env = new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

            CatResult pack = await CatProcess.RunAsync(dotnet,
                ["pack", Path.Combine(root, "src", "SpNet.Cli", "SpNet.Cli.csproj"), "-c", configuration, "--no-build", "-o", packages],
                null, StepLimit, work, env);
            Assert.True(pack.ExitCode == 0, $"dotnet pack: {pack}");
            Assert.True(File.Exists(Path.Combine(packages, $"SpNet.Cli.{Version}.nupkg")), $"no package in {packages}: {pack}");
            Assert.True(File.Exists(Path.Combine(packages, $"SpNet.Cli.{Version}.snupkg")), "no symbol package");

            CatResult install = await CatProcess.RunAsync(dotnet,
                ["tool", "install", "--tool-path", tools, "--configfile", Path.Combine(work, "nuget.config"),
                 "--add-source", packages, "SpNet.Cli", "--version", Version],
                null, StepLimit, work, env);
            Assert.True(install.ExitCode == 0, $"dotnet tool install: {install}");

            // The installed apphost finds the runtime through DOTNET_ROOT (the runtime running this test).
            env["DOTNET_ROOT"] = Path.GetDirectoryName(dotnet.FileName)!;
            var spcat = new PeerTool("spcat", Path.Combine(tools, "spcat"), []);
            CatResult version = await CatProcess.RunAsync(spcat, ["--version"], null, StepLimit, work, env);
            Assert.Equal("1.5.2\n", version.StdoutText);
            Assert.Equal(0, version.ExitCode);

            string url = $"tcp://127.0.0.1:{FreePort()}";
            Task<CatResult> rep = CatProcess.RunAsync(spcat, ["--rep0", "--listen", url, "-D", "pong", "--count", "1", "-Q"], null, StepLimit, work, env);
            // --async: the REQ dials in the background and retries until the REP listens, so no start-up race.
            CatResult req = await CatProcess.RunAsync(spcat, ["--req0", "--async", "--dial", url, "-D", "ping", "-Q", "--recv-timeout", "20"], null, StepLimit, work, env);
            CatResult repDone = await rep;
            Assert.Equal("\"pong\"\n", req.StdoutText);
            Assert.Equal(0, req.ExitCode);
            Assert.Equal("\"ping\"\n", repDone.StdoutText);
            Assert.Equal(0, repDone.ExitCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : Peers.FindOnPath("dotnet") ?? "dotnet";
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
