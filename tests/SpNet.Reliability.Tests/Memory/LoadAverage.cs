namespace SpNet.Reliability.Tests.Memory;

/// <summary>The machine's load average, printed beside every memory figure (the machine is shared).</summary>
internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages, or "n/a" off Linux.</summary>
    public static string Now() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
