using System.Diagnostics;
using System.Globalization;

namespace SpNet.Cli.Demo;

/// <summary>Formats the demo's measurements the same way in every row.</summary>
internal static class Figures
{
    /// <summary>Messages per second over the measured interval, e.g. <c>412,000 msg/s</c>.</summary>
    public static string Rate(long messages, long startTimestamp)
    {
        double seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture, $"{messages / Math.Max(seconds, 1e-9):N0} msg/s");
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
