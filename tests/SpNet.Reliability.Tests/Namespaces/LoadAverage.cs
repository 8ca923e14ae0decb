using System.Globalization;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>The machine's load, printed with every figure so that figures from a busy machine can be told apart.</summary>
internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages as <c>uptime</c> prints them, e.g. "1.33, 1.22, 1.53"; "n/a" off Linux.</summary>
    public static string Now()
    {
        try
        {
            string[] parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(", ", parts.Take(3).Select(p => double.Parse(p, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture)));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }
}
