using System.Globalization;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>A process's resident memory and thread count, read from <c>/proc/PID/status</c>.</summary>
internal readonly record struct ProcessSample(int Pid, long RssKiB, int Threads)
{
    /// <summary>Reads process <paramref name="pid"/>; null when it is gone (or not on Linux).</summary>
    public static ProcessSample? Read(int pid)
    {
        try
        {
            long rss = -1;
            int threads = -1;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line["Threads:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }
            return rss >= 0 && threads >= 0 ? new ProcessSample(pid, rss, threads) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>"41.2 MiB, 23 threads".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RssKiB / 1024.0:0.0} MiB, {Threads} threads");
}
