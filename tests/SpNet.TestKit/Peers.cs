namespace SpNet.TestKit;

/// <summary>
/// Finds the interop peers: <c>nngcat</c> (NNG 1.5.2, Debian nng-utils) and <c>nanocat</c> (nanomsg 1.1.5,
/// Debian nanomsg-utils) and <c>etcd</c> (Debian etcd-server) on PATH, and <c>spcat</c> (SpNet.Cli) as built into this
/// repository's artifacts.
/// </summary>
public static class Peers
{
    /// <summary>NNG's CLI.</summary>
    public const string NngCat = "nngcat";

    /// <summary>nanomsg's CLI.</summary>
    public const string NanoCat = "nanocat";

    /// <summary>etcd's server (Debian etcd-server), for the etcd discovery backend's tests.</summary>
    public const string Etcd = "etcd";

    /// <summary>SpNet's nngcat-compatible CLI (src/SpNet.Cli).</summary>
    public const string SpCat = "spcat";

    /// <summary>Environment variable: when <c>1</c>, a missing peer fails its tests instead of skipping them (CI).</summary>
    public const string RequireVariable = "SPNET_REQUIRE_PEERS";

    /// <summary>
    /// Environment variable naming the spcat to test instead of artifacts/bin/SpNet.Cli/&lt;configuration&gt;/spcat.dll:
    /// a .dll (run with dotnet) or an executable (e.g. a native AOT build).
    /// </summary>
    public const string SpcatVariable = "SPNET_SPCAT";

    /// <summary>True when <see cref="RequireVariable"/> is <c>1</c>: missing peers are failures, not skips.</summary>
    public static bool AreRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Finds <paramref name="name"/>, or returns <see langword="null"/> when it is not installed or built.</summary>
    public static PeerTool? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SpCat)
        {
            string? build = FindSpcatDll();
            if (build is null)
            {
                return null;
            }
            // A .dll runs under the dotnet host; anything else (an apphost or native AOT build) runs directly.
            return build.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? new PeerTool(name, DotnetHost(), [build])
                : new PeerTool(name, build, []);
        }
        string? path = FindOnPath(name);
        return path is null ? null : new PeerTool(name, path, []);
    }

    /// <summary>Finds <paramref name="name"/> or throws an exception that says how to install it.</summary>
    /// <exception cref="InvalidOperationException">The peer is missing.</exception>
    public static PeerTool Require(string name) =>
        Find(name) ?? throw new InvalidOperationException(MissingReason(name) + (AreRequired ? $" ({RequireVariable}=1 makes this a failure)" : ""));

    /// <summary>Why <paramref name="name"/> cannot run, or <see langword="null"/> when it is present.</summary>
    public static string? MissingReason(string name) => Find(name) is not null ? null : name switch
    {
        NngCat => "nngcat not installed: apt-get install nng-utils",
        NanoCat => "nanocat not installed: apt-get install nanomsg-utils",
        Etcd => "etcd not installed: apt-get install etcd-server",
        SpCat => $"spcat not built: expected {SpcatDllPath() ?? "artifacts/bin/SpNet.Cli/<configuration>/spcat.dll"} (dotnet build src/SpNet.Cli, or set {SpcatVariable})",
        _ => $"{name} not found on PATH",
    };

    /// <summary>
    /// The reason a test needing <paramref name="names"/> should be skipped, or <see langword="null"/> when it should
    /// run: every peer is present, or <see cref="RequireVariable"/> is set (then the test runs and fails on the missing
    /// peer). spcat is built by the interop test project itself, so it is normally always present.
    /// </summary>
    public static string? SkipReason(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var reasons = new List<string>();
        foreach (string name in names)
        {
            string? missing = MissingReason(name);
            if (missing is null)
            {
                continue;
            }
            if (!AreRequired)
            {
                reasons.Add(missing);
            }
        }
        return reasons.Count == 0 ? null : string.Join("; ", reasons);
    }

    /// <summary>Full path of an executable found on PATH, or <see langword="null"/>.</summary>
    public static string? FindOnPath(string executable)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (string dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string candidate in new[] { executable, executable + ".exe" })
            {
                string full = Path.Combine(dir, candidate);
                if (File.Exists(full) && IsExecutable(full))
                {
                    return full;
                }
            }
        }
        return null;
    }

    /// <summary>The repository root (the directory holding SpNet.slnx), found from the test assembly's location.</summary>
    public static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SpNet.slnx")))
            {
                return dir.FullName;
            }
        }
        return null;
    }

    /// <summary>The configuration these tests were built in (the name of their output folder, e.g. <c>Release</c>).</summary>
    public static string BuildConfiguration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;

    /// <summary>The dotnet host: the one running these tests (DOTNET_HOST_PATH, set by the SDK), else PATH's.</summary>
    public static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(host) && File.Exists(host) ? host : FindOnPath("dotnet") ?? "dotnet";
    }

    private static string? FindSpcatDll()
    {
        string? path = SpcatDllPath();
        return path is not null && File.Exists(path) ? path : null;
    }

    /// <summary>
    /// Where spcat.dll is expected: <see cref="SpcatVariable"/>, else artifacts/bin/SpNet.Cli/&lt;configuration&gt;/spcat.dll
    /// with the configuration the tests themselves were built in (artifacts/bin/&lt;TestProject&gt;/&lt;configuration&gt;/).
    /// </summary>
    private static string? SpcatDllPath()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(SpcatVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }
        string? root = RepositoryRoot();
        if (root is null)
        {
            return null;
        }
        return Path.Combine(root, "artifacts", "bin", "SpNet.Cli", BuildConfiguration, "spcat.dll");
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
