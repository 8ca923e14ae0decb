using System.Globalization;
using SpNet.Bench.Harness;

namespace SpNet.Bench.Commands;

/// <summary>Options shared by the perf roles: <c>-p pattern</c>, <c>--lib library</c>, <c>--url</c> (inproc roles), <c>-t seconds</c>.</summary>
internal sealed class PerfOptions
{
    public Pattern Pattern { get; private set; } = Patterns.DefaultPattern;

    public bool PatternGiven { get; private set; }

    public Library Library { get; private set; } = Library.SpNet;

    public string? Url { get; private set; }

    /// <summary>Longest wait for any one message, in milliseconds (perf waits forever; spbench bounds every wait).</summary>
    public int TimeoutMs { get; private set; } = 60_000;

    public List<string> Positional { get; } = [];

    public static PerfOptions Parse(IReadOnlyList<string> args)
    {
        var options = new PerfOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new BenchException($"{arg} needs a value");
            switch (arg)
            {
                case "-p":
                case "--pattern":
                    options.Pattern = Patterns.Parse(Value());
                    options.PatternGiven = true;
                    break;
                case "--pair0":
                case "--pair1":
                case "--pipeline0":
                case "--reqrep0":
                case "--pubsub0":
                    options.Pattern = Patterns.Parse(arg[2..]);
                    options.PatternGiven = true;
                    break;
                case "-l":
                case "--lib":
                    options.Library = Patterns.ParseLibrary(Value());
                    break;
                case "--url":
                    options.Url = Value();
                    break;
                case "-t":
                case "--timeout":
                    options.TimeoutMs = checked(ParseInt(Value(), "timeout") * 1000);
                    break;
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        throw new BenchException($"unknown option {arg}");
                    }
                    options.Positional.Add(arg);
                    break;
            }
        }
        return options;
    }

    /// <summary>As perf's parse_int: a decimal between 0 and 1,000,000,000, else "Invalid what".</summary>
    public static int ParseInt(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value <= 1_000_000_000
            ? value
            : throw new BenchException($"Invalid {what}");
}
