using System.Globalization;

namespace SpNet.Bench.Harness.Sides;

/// <summary>
/// What the sides of one case share besides their sockets: the listening side announces its URL, any side signals a
/// point it has reached (every other side sees it: "subscribed", "sent", "received"…), and each side reports its
/// figures. The same side code runs whether the sides are processes (<see cref="ProcessSideLink"/>), threads of one
/// process (<see cref="LocalSideLink"/>) or a lone perf role facing a foreign peer (<see cref="LoneSideLink"/>).
/// </summary>
internal abstract class SideLink
{
    /// <summary>Longest wait for a signal from another side: beyond it the case has stalled.</summary>
    public static readonly TimeSpan SignalLimit = TimeSpan.FromSeconds(120);

    private readonly Dictionary<string, int> _signals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _reports = new(StringComparer.Ordinal);

    protected SideLink(string side) => Side = side;

    /// <summary>This side's name in the case ("receiver", "sender", "subs2"…).</summary>
    public string Side { get; }

    /// <summary>What this side has reported so far.</summary>
    public IReadOnlyDictionary<string, double> Reports
    {
        get
        {
            lock (_reports)
            {
                return new Dictionary<string, double>(_reports, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The listening side is bound at <paramref name="url"/>: the other sides may dial.</summary>
    public abstract void Ready(string url);

    /// <summary>Tells every other side that this one reached <paramref name="name"/>.</summary>
    public abstract void Signal(string name);

    /// <summary>Records one figure of this side's result.</summary>
    public virtual void Report(string key, double value)
    {
        lock (_reports)
        {
            _reports[key] = value;
        }
    }

    /// <summary>How many <paramref name="name"/> signals the other sides have sent so far.</summary>
    public int Count(string name)
    {
        lock (_signals)
        {
            return _signals.GetValueOrDefault(name);
        }
    }

    /// <summary>True once another side has signalled <paramref name="name"/>.</summary>
    public bool Has(string name) => Count(name) > 0;

    /// <summary>Blocks until <paramref name="count"/> <paramref name="name"/> signals have come; throws when that takes over <see cref="SignalLimit"/>.</summary>
    public virtual void WaitFor(string name, int count = 1)
    {
        long deadline = Environment.TickCount64 + (long)SignalLimit.TotalMilliseconds;
        lock (_signals)
        {
            while (_signals.GetValueOrDefault(name) < count)
            {
                long left = deadline - Environment.TickCount64;
                if (left <= 0)
                {
                    throw new BenchException($"{Side}: {_signals.GetValueOrDefault(name)} of {count} '{name}' signal(s) from the other side(s) after {SignalLimit.TotalSeconds:F0} s");
                }
                Monitor.Wait(_signals, (int)Math.Min(left, int.MaxValue));
            }
        }
    }

    /// <summary>Counts a signal that arrived from another side.</summary>
    public void Deliver(string name)
    {
        lock (_signals)
        {
            _signals[name] = _signals.GetValueOrDefault(name) + 1;
            Monitor.PulseAll(_signals);
        }
    }

    /// <summary>A report line as a child prints it: <c>@result SIDE KEY VALUE</c>.</summary>
    public static string ResultLine(string side, string key, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"@result {side} {key} {value:R}");
}
