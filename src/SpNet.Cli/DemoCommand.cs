using System.Diagnostics;
using System.Globalization;
using SpNet.Cli.Demo;

namespace SpNet.Cli;

/// <summary>
/// <c>spcat demo</c>: runs PAIR0, PUSH/PULL, PUB/SUB and REQ/REP over inproc and tcp loopback in this process,
/// checks every message (count, order, content, topic filtering, round-robin split) and prints one table row
/// per pattern and transport.
/// </summary>
public static class DemoCommand
{
    // Built from the defaults so the help text cannot drift from what runs.
    private static readonly string s_usage = string.Create(CultureInfo.InvariantCulture,
        $"""
        usage: spcat demo [--messages N] [--round-trips N] [--size BYTES]
          --messages N     messages per stream scenario (PAIR sends N each way), default {DemoSettings.Default.Messages}
          --round-trips N  REQ/REP round trips, default {DemoSettings.Default.RoundTrips}
          --size BYTES     body size of every message, {Payload.MinimumSize} to 65536, default {DemoSettings.Default.Size}
        """);

    /// <summary>One pattern's scenario: it opens its sockets in <paramref name="sockets"/>, which the caller disposes and checks for drops.</summary>
    private delegate Task<DemoOutcome> Scenario(DemoSockets sockets, DemoTransport transport, DemoSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the demo, writing the table to <paramref name="output"/>. Returns 0 when every scenario passed its
    /// checks, 1 when any failed, 2 for bad arguments. Each scenario is bounded by a timeout (8 s) and the
    /// whole demo by a 25 s budget, so it always ends.
    /// </summary>
    /// <param name="args">Arguments after <c>demo</c>.</param>
    /// <param name="output">Where the table goes (standard output in spcat).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (!TryParse(args, out DemoSettings? settings, out string? error))
        {
            await output.WriteLineAsync(error is null ? s_usage : $"spcat demo: {error}\n{s_usage}").ConfigureAwait(false);
            return error is null ? 0 : 2;
        }

        (string Name, Scenario Run)[] patterns =
        [
            ("PAIR0", PairDemo.RunAsync),
            ("PUSH/PULL", PushPullDemo.RunAsync),
            ("PUB/SUB", PubSubDemo.RunAsync),
            ("REQ/REP", ReqRepDemo.RunAsync),
        ];
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"spcat demo: every pattern over inproc and tcp://127.0.0.1, {settings.Size}-byte messages, each one checked")).ConfigureAwait(false);
        await DemoTable.WriteHeadingAsync(output).ConfigureAwait(false);

        long start = Stopwatch.GetTimestamp();
        int failed = 0;
        foreach (var (name, run) in patterns)
        {
            foreach (DemoTransport transport in DemoTransport.All)
            {
                TimeSpan left = DemoSettings.TotalBudget - Stopwatch.GetElapsedTime(start);
                DemoRow row = left <= TimeSpan.Zero
                    ? new DemoRow(name, transport.Name, "-", "-", false, "not run: the demo's 25 s budget is spent")
                    : await RunOneAsync(name, run, transport, settings, left < settings.ScenarioTimeout ? left : settings.ScenarioTimeout).ConfigureAwait(false);
                failed += row.Passed ? 0 : 1;
                await DemoTable.WriteRowAsync(output, row).ConfigureAwait(false);
            }
        }

        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        int total = patterns.Length * DemoTransport.All.Count;
        string summary = failed == 0
            ? string.Create(CultureInfo.InvariantCulture, $"all {total} checks passed in {seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{failed} of {total} checks FAILED ({seconds:F1} s)");
        await output.WriteLineAsync(summary).ConfigureAwait(false);
        return failed == 0 ? 0 : 1;
    }

    private static async Task<DemoRow> RunOneAsync(string name, Scenario run, DemoTransport transport, DemoSettings settings, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            var sockets = new DemoSockets();
            await using (sockets.ConfigureAwait(false))
            {
                DemoOutcome outcome = await run(sockets, transport, settings, deadline.Token).ConfigureAwait(false);
                sockets.ExpectNoDrops();
                return new DemoRow(name, transport.Name, outcome.Messages, outcome.Figure, true, outcome.Detail);
            }
        }
        catch (DemoCheckException ex)
        {
            return new DemoRow(name, transport.Name, "-", "-", false, ex.Message);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return new DemoRow(name, transport.Name, "-", "-", false, string.Create(CultureInfo.InvariantCulture, $"timed out after {timeout.TotalSeconds:F1} s"));
        }
        catch (SpNetException ex)
        {
            return new DemoRow(name, transport.Name, "-", "-", false, $"{ex.Error}: {ex.Message}");
        }
    }

    private static bool TryParse(string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DemoSettings? settings, out string? error)
    {
        settings = DemoSettings.Default;
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            if (flag is "-h" or "--help")
            {
                settings = null;
                return false;
            }
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
            {
                error = $"{flag} needs a positive whole number";
                settings = null;
                return false;
            }
            i++;
            switch (flag)
            {
                case "--messages":
                    settings = settings with { Messages = value };
                    break;
                case "--round-trips":
                    settings = settings with { RoundTrips = value };
                    break;
                case "--size" when value is >= Payload.MinimumSize and <= 65536:
                    settings = settings with { Size = value };
                    break;
                case "--size":
                    error = $"--size must be {Payload.MinimumSize} to 65536";
                    settings = null;
                    return false;
                default:
                    error = $"unknown option '{flag}'";
                    settings = null;
                    return false;
            }
        }
        return true;
    }
}
