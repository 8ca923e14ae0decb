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

/// <summary>A fact that needs root on Linux (network namespaces) and the <c>ip</c> tool; skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Skips unless running as root on Linux with <c>ip</c> on the PATH.</summary>
    public RootFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux network namespaces";
        }
        else if (Environment.UserName != "root")
        {
            Skip = "needs root to create network namespaces (ip netns add); run as root";
        }
        else if (TestKit.Peers.FindOnPath("ip") is null)
        {
            Skip = "needs the ip tool (apt-get install iproute2)";
        }
    }
}
