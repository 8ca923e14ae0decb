using System.Globalization;

namespace SpNet.Cli.Discovery;

/// <summary>The flags of <c>spcat discovery …</c>: <c>--name value</c> pairs, <c>--meta</c> repeatable.</summary>
internal sealed class DiscoveryArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _meta = [];

    public bool Help { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Meta => _meta;

    /// <summary>Parses <paramref name="args"/>, accepting only <paramref name="allowed"/> flags (plus <c>--meta</c> when listed).</summary>
    /// <exception cref="FormatException">Unknown flag, missing value, repeated flag or bad <c>--meta</c>.</exception>
    public static DiscoveryArguments Parse(IReadOnlyList<string> args, params string[] allowed)
    {
        var parsed = new DiscoveryArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag is "-h" or "--help")
            {
                parsed.Help = true;
                continue;
            }
            if (!allowed.Contains(flag))
            {
                throw new FormatException($"unknown option '{flag}'");
            }
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{flag} needs a value");
            }
            string value = args[++i];
            if (flag == "--meta")
            {
                int eq = value.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new FormatException($"--meta needs key=value, got '{value}'");
                }
                parsed._meta.Add(new(value[..eq], value[(eq + 1)..]));
            }
            else if (!parsed._values.TryAdd(flag, value))
            {
                throw new FormatException($"{flag} given twice");
            }
        }
        return parsed;
    }

    public string? Optional(string flag) => _values.GetValueOrDefault(flag);

    public string Required(string flag) =>
        _values.TryGetValue(flag, out string? value) ? value : throw new FormatException($"{flag} is required");

    public TimeSpan? Seconds(string flag)
    {
        if (!_values.TryGetValue(flag, out string? text))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0.01 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{flag} needs seconds between 0.01 and 86400, got '{text}'");
    }

    public int? Count(string flag)
    {
        if (!_values.TryGetValue(flag, out string? text))
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : throw new FormatException($"{flag} needs a positive whole number, got '{text}'");
    }
}
