using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using SpNet.Cli.Tests.Compare;
using SpNet.TestKit;

namespace SpNet.Cli.Tests;

/// <summary>
/// The packages as a user gets them. spcat as a .NET tool: packs the already built SpNet.Cli (dotnet pack
/// --no-build), installs it with dotnet tool install --tool-path from that folder alone (a nuget.config that clears
/// every other source, so it works offline), then runs the installed spcat: --version, and a REQ/REP exchange between
/// two installed spcats. The libraries: packs every src project, checks each package's metadata, then restores a
/// fresh Generic Host console app from that folder and the local NuGet cache only, builds it and runs a REQ/REP.
/// Filter with --filter Category=Packaging.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackagingTests
{
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(50);
    // A pack, or a restore and build of a fresh project: on a loaded 2-core machine each can take a minute or more.
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(4);
    private static readonly string[] Libraries = ["SpNet", "SpNet.Discovery", "SpNet.Discovery.Etcd", "SpNet.Extensions.Hosting", "SpNet.Cli"];
    private const string Version = "0.1.0";
    private static readonly PeerTool Dotnet = new("dotnet", Peers.DotnetHost(), []);

    /// <summary>The environment every dotnet command here runs with (no telemetry, no banner); each test adds to its own copy.</summary>
    private static Dictionary<string, string> QuietDotnetEnvironment() => new() { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };

    private static string Root => Peers.RepositoryRoot() ?? throw new InvalidOperationException("repository root not found");

    /// <summary>Packs src/<paramref name="project"/> as built (<c>--no-build</c>, this build's configuration) into <paramref name="packages"/>; the pack must succeed.</summary>
    private static async Task<CatResult> PackAsync(string project, string packages, string work, Dictionary<string, string> env)
    {
        CatResult pack = await CatProcess.RunAsync(Dotnet,
            ["pack", Path.Combine(Root, "src", project, project + ".csproj"), "-c", Peers.BuildConfiguration, "--no-build", "-o", packages],
            null, BuildLimit, work, env);
        Assert.True(pack.ExitCode == 0, $"dotnet pack {project}: {pack}");
        return pack;
    }

    [Fact]
    public async Task Packed_tool_installs_from_a_local_folder_and_runs()
    {
        using TempDirectory work = TempDirectory.Create("spcat-tool-");
        string packages = Path.Combine(work.Path, "packages");
        string tools = Path.Combine(work.Path, "tools");
        await File.WriteAllTextAsync(Path.Combine(work.Path, "nuget.config"),
            $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");
        Dictionary<string, string> env = QuietDotnetEnvironment();

        CatResult pack = await PackAsync("SpNet.Cli", packages, work.Path, env);
        Assert.True(File.Exists(Path.Combine(packages, $"SpNet.Cli.{Version}.nupkg")), $"no package in {packages}: {pack}");
        Assert.True(File.Exists(Path.Combine(packages, $"SpNet.Cli.{Version}.snupkg")), "no symbol package");

        CatResult install = await CatProcess.RunAsync(Dotnet,
            ["tool", "install", "--tool-path", tools, "--configfile", Path.Combine(work.Path, "nuget.config"),
             "--add-source", packages, "SpNet.Cli", "--version", Version],
            null, StepLimit, work.Path, env);
        Assert.True(install.ExitCode == 0, $"dotnet tool install: {install}");

        // The installed apphost finds the runtime through DOTNET_ROOT (the runtime running this test).
        env["DOTNET_ROOT"] = Path.GetDirectoryName(Dotnet.FileName)!;
        var spcat = new PeerTool("spcat", Path.Combine(tools, "spcat"), []);
        CatResult version = await CatProcess.RunAsync(spcat, ["--version"], null, StepLimit, work.Path, env);
        Assert.Equal("1.5.2\n", version.StdoutText);
        Assert.Equal(0, version.ExitCode);

        string url = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
        Task<CatResult> rep = CatProcess.RunAsync(spcat, ["--rep0", "--listen", url, "-D", "pong", "--count", "1", "-Q"], null, StepLimit, work.Path, env);
        // --async: the REQ dials in the background and retries until the REP listens, so no start-up race.
        CatResult req = await CatProcess.RunAsync(spcat, ["--req0", "--async", "--dial", url, "-D", "ping", "-Q", "--recv-timeout", "20"], null, StepLimit, work.Path, env);
        CatResult repDone = await rep;
        Assert.Equal("\"pong\"\n", req.StdoutText);
        Assert.Equal(0, req.ExitCode);
        Assert.Equal("\"ping\"\n", repDone.StdoutText);
        Assert.Equal(0, repDone.ExitCode);
    }

    [Fact]
    public async Task Every_package_has_its_metadata_and_restores_offline_into_a_host_app_that_runs_req_rep()
    {
        using TempDirectory work = TempDirectory.Create("spnet-packages-");
        string packages = Path.Combine(work.Path, "packages");
        Dictionary<string, string> env = QuietDotnetEnvironment();
        foreach (string project in Libraries)
        {
            await PackAsync(project, packages, work.Path, env);
            CheckPackage(Root, packages, project);
        }

        // The user's machine: only the packed folder and what is already in the NuGet cache, read as a feed;
        // restored packages go to a private folder so SpNet 0.1.0 never lands in (or comes from) the real cache.
        CatResult locals = await CatProcess.RunAsync(Dotnet, ["nuget", "locals", "global-packages", "--list"], null, StepLimit, work.Path, env);
        string cache = locals.StdoutText.Trim().Split(": ", 2)[^1].Trim();
        Assert.True(Directory.Exists(cache), $"no NuGet cache: {locals}");
        string app = Path.Combine(work.Path, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"),
            $"""<?xml version="1.0" encoding="utf-8"?><configuration><packageSources><clear /><add key="packed" value="{packages}" /><add key="cache" value="{cache}" /></packageSources></configuration>""");
        await File.WriteAllTextAsync(Path.Combine(app, "app.csproj"), ConsumerProject);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), ConsumerProgram);
        env["NUGET_PACKAGES"] = Path.Combine(work.Path, "restored");

        CatResult build = await CatProcess.RunAsync(Dotnet, ["build", app, "-c", "Release", "-o", Path.Combine(app, "out")], null, BuildLimit, app, env);
        Assert.True(build.ExitCode == 0, $"dotnet build of the consumer: {build.StdoutText}\n{build.Stderr}");
        Assert.True(Directory.Exists(Path.Combine(work.Path, "restored", "spnet.extensions.hosting", Version)), "SpNet.Extensions.Hosting was not restored from the packed folder");

        CatResult run = await CatProcess.RunAsync(Dotnet, [Path.Combine(app, "out", "app.dll")], null, BuildLimit, app, env);
        Assert.True(run.ExitCode == 0, $"the consumer: {run}");
        Assert.Contains("reply: pong to ping", run.StdoutText, StringComparison.Ordinal);
    }

    /// <summary>Reads one packed package: its own README, description, tags, license, repository and symbols.</summary>
    private static void CheckPackage(string root, string packages, string id)
    {
        string nupkg = Path.Combine(packages, $"{id}.{Version}.nupkg");
        Assert.True(File.Exists(nupkg), $"no {nupkg}");
        string snupkg = Path.Combine(packages, $"{id}.{Version}.snupkg");
        Assert.True(File.Exists(snupkg), $"no symbol package for {id}");
        using (ZipArchive symbols = ZipFile.OpenRead(snupkg))
        {
            Assert.Contains(symbols.Entries, e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal));
        }

        using ZipArchive package = ZipFile.OpenRead(nupkg);
        ZipArchiveEntry nuspecEntry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XElement metadata;
        using (Stream stream = nuspecEntry.Open())
        {
            metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        }
        string Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        XElement? Element(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name);

        Assert.True(Field("description").Length > 40 && Field("description") != "Package Description", $"{id}: description '{Field("description")}'");
        Assert.Contains("nng", Field("tags"), StringComparison.Ordinal);
        Assert.Equal("expression", Element("license")?.Attribute("type")?.Value);
        Assert.Equal("MIT", Field("license"));
        Assert.Equal("git", Element("repository")?.Attribute("type")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", Element("repository")?.Attribute("commit")?.Value ?? "");
        Assert.Equal("README.md", Field("readme"));

        // The package's README is its own (src/<id>/README.md), not the repository's, which opens with clone commands.
        string expected = File.ReadAllText(Path.Combine(root, "src", id, "README.md"));
        using var reader = new StreamReader(package.GetEntry("README.md")!.Open());
        Assert.Equal(expected, reader.ReadToEnd());
        Assert.StartsWith($"# {id}", expected, StringComparison.Ordinal);
    }

    private const string ConsumerProject =
        $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <UseAppHost>false</UseAppHost>
            <NuGetAudit>false</NuGetAudit>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="SpNet.Extensions.Hosting" Version="{Version}" />
            <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.14" />
          </ItemGroup>
        </Project>
        """;

    // A Generic Host app configured as the docs say: a REP socket from configuration, answered by a REQ in code.
    private const string ConsumerProgram =
        """
        using Microsoft.Extensions.Configuration;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Logging;
        using SpNet;
        using SpNet.Extensions.Hosting;

        HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SpNet:Sockets:echo:Protocol"] = "rep",
            ["SpNet:Sockets:echo:Listen:0"] = "tcp://127.0.0.1:0",
        });
        builder.Services.AddSpNet(builder.Configuration.GetSection("SpNet"));
        using IHost host = builder.Build();
        await host.StartAsync();

        Socket rep = host.Services.GetRequiredKeyedService<Socket>("echo");
        await using var req = new ReqSocket { ReceiveTimeout = TimeSpan.FromSeconds(60) };
        await req.DialAsync(rep.Listeners[0].Url);
        await req.SendAsync("ping"u8.ToArray());
        using (Message request = await rep.ReceiveAsync())
        {
            await rep.SendAsync(Message.Create($"pong to {request}"));
        }
        using (Message reply = await req.ReceiveAsync())
        {
            Console.WriteLine($"reply: {reply}");
        }
        await host.StopAsync();
        """;
}
