using System.Globalization;

namespace SpNet.Bench.Memory;

/// <summary>A process's resident set as Linux reports it (VmRSS), sampled while a case runs to find its peak.</summary>
internal sealed class ProcessMemory : IDisposable
{
    private readonly int _pid;
    private readonly Timer _sampler;
    private long _peakKiB;

    /// <summary>Starts sampling <paramref name="pid"/> every <paramref name="period"/>.</summary>
    public ProcessMemory(int pid, TimeSpan period)
    {
        _pid = pid;
        _peakKiB = ResidentKiB(pid);
        _sampler = new Timer(_ => Sample(), null, period, period);
    }

    /// <summary>The largest resident set seen since <see cref="ResetPeak"/> (or the start), in KiB.</summary>
    public long PeakKiB
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peakKiB);
        }
    }

    /// <summary>The resident set now, in KiB.</summary>
    public long CurrentKiB => ResidentKiB(_pid);

    /// <summary>Starts a new peak from the current resident set.</summary>
    public void ResetPeak() => Interlocked.Exchange(ref _peakKiB, ResidentKiB(_pid));

    /// <summary>VmRSS of <paramref name="pid"/> in KiB (0 once the process is gone).</summary>
    public static long ResidentKiB(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>The number of threads of <paramref name="pid"/> (0 once the process is gone).</summary>
    public static long Threads(int pid) => StatusField(pid, "Threads:");

    private static long StatusField(int pid, string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited.
        }
        return 0;
    }

    /// <inheritdoc />
    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        long now = ResidentKiB(_pid);
        long seen;
        while (now > (seen = Interlocked.Read(ref _peakKiB)) && Interlocked.CompareExchange(ref _peakKiB, now, seen) != seen)
        {
        }
    }
}
