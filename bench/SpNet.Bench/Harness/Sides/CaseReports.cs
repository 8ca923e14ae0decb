namespace SpNet.Bench.Harness.Sides;

/// <summary>The figures each side of one case reported, by side name.</summary>
internal sealed class CaseReports
{
    private readonly Dictionary<string, Dictionary<string, double>> _sides = new(StringComparer.Ordinal);

    public void Add(string side, string key, double value)
    {
        lock (_sides)
        {
            if (!_sides.TryGetValue(side, out Dictionary<string, double>? figures))
            {
                _sides[side] = figures = new(StringComparer.Ordinal);
            }
            figures[key] = value;
        }
    }

    /// <summary>One figure of one side; a missing one means the side failed to report.</summary>
    public double Get(string side, string key)
    {
        lock (_sides)
        {
            return _sides.TryGetValue(side, out Dictionary<string, double>? figures) && figures.TryGetValue(key, out double value)
                ? value
                : throw new BenchException($"side '{side}' reported no '{key}'");
        }
    }

    /// <summary>One figure, or null when the side did not report it (optional figures).</summary>
    public double? Find(string side, string key)
    {
        lock (_sides)
        {
            return _sides.TryGetValue(side, out Dictionary<string, double>? figures) && figures.TryGetValue(key, out double value) ? value : null;
        }
    }

    /// <summary>Everything <paramref name="side"/> reported.</summary>
    public IReadOnlyDictionary<string, double> Of(string side)
    {
        lock (_sides)
        {
            return _sides.TryGetValue(side, out Dictionary<string, double>? figures) ? new Dictionary<string, double>(figures, StringComparer.Ordinal) : [];
        }
    }

    /// <summary>The figure <paramref name="key"/> of every side whose name starts with <paramref name="prefix"/>.</summary>
    public double[] All(string prefix, string key)
    {
        lock (_sides)
        {
            return [.. _sides.Where(s => s.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(s =>
                s.Value.TryGetValue(key, out double value) ? value : throw new BenchException($"side '{s.Key}' reported no '{key}'"))];
        }
    }
}
