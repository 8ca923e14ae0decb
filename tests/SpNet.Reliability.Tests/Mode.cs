using System.Globalization;

namespace SpNet.Reliability.Tests;

/// <summary>
/// CI mode (default) versus long mode (<c>SPNET_LONG=1</c>): the same tests, with the heavy numbers only in long mode.
/// Every knob can be overridden by an environment variable so a run is reproducible from its printed command.
/// </summary>
internal static class Mode
{
    /// <summary>True when <c>SPNET_LONG=1</c>.</summary>
    public static bool IsLong => Environment.GetEnvironmentVariable("SPNET_LONG") == "1";

    /// <summary>Inputs per decoder: <c>SPNET_FUZZ_INPUTS</c>, else 1,000,000 in long mode and 50,000 in CI.</summary>
    public static int FuzzInputs => Int("SPNET_FUZZ_INPUTS", IsLong ? 1_000_000 : 50_000);

    /// <summary>
    /// Fuzz seed: <c>SPNET_FUZZ_SEED</c>, else a fixed seed in CI (reproducible runs) and a fresh one in long mode
    /// (new inputs each night). Always printed on failure.
    /// </summary>
    public static int FuzzSeed => Int("SPNET_FUZZ_SEED", IsLong ? Environment.TickCount : 20260101);

    /// <summary>Reads an integer environment variable, or <paramref name="fallback"/>.</summary>
    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}

/// <summary>A fact that runs only in long mode (<c>SPNET_LONG=1</c>) and says so when skipped.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class LongFactAttribute : FactAttribute
{
    /// <summary>Skips unless <c>SPNET_LONG=1</c>.</summary>
    public LongFactAttribute()
    {
        if (!Mode.IsLong)
        {
            Skip = "long mode only: set SPNET_LONG=1 (see docs/reliability.md)";
        }
    }
}

/// <summary>
/// A theory that needs root on Linux (network namespaces), the <c>ip</c> tool and the named peers (e.g. <c>spcat</c>);
/// skipped with the reason otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips unless running as root on Linux with <c>ip</c> on the PATH and every one of <paramref name="peers"/> found.</summary>
    public RootTheoryAttribute(params string[] peers) => Skip = RootOnly.SkipReason(peers);
}

/// <summary>
/// A fact that needs root on Linux (network namespaces), the <c>ip</c> tool and the named peers; skipped with the
/// reason otherwise (see <see cref="RootTheoryAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Skips unless running as root on Linux with <c>ip</c> on the PATH and every one of <paramref name="peers"/> found.</summary>
    public RootFactAttribute(params string[] peers) => Skip = RootOnly.SkipReason(peers);
}

/// <summary>Why a root-only test cannot run here, for <see cref="RootTheoryAttribute"/>.</summary>
internal static class RootOnly
{
    /// <summary>The reason to skip, or null when the test can run.</summary>
    public static string? SkipReason(string[] peers)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux network namespaces";
        }
        if (Environment.UserName != "root")
        {
            return "needs root to create network namespaces (ip netns add); run as root";
        }
        // With SPNET_REQUIRE_PEERS=1 (CI) a root machine without ip fails the test instead: the peers are meant to be there.
        if (TestKit.Peers.FindOnPath("ip") is null && !TestKit.Peers.AreRequired)
        {
            return "needs the ip tool (apt-get install iproute2)";
        }
        return peers.Length == 0 ? null : TestKit.Peers.SkipReason(peers);
    }
}
