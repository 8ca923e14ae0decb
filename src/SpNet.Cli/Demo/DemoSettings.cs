namespace SpNet.Cli.Demo;

/// <summary>How much traffic each demo scenario moves and how long it may take.</summary>
/// <param name="Messages">Messages per stream scenario (PAIR sends this many each way).</param>
/// <param name="RoundTrips">REQ/REP request-reply pairs.</param>
/// <param name="Size">Body size of every message, bytes.</param>
/// <param name="ScenarioTimeout">Longest one scenario may run before it is reported as FAIL.</param>
internal sealed record DemoSettings(int Messages, int RoundTrips, int Size, TimeSpan ScenarioTimeout)
{
    /// <summary>
    /// Defaults sized so the eight scenarios finish in a few seconds on a 2-core machine while still moving
    /// enough traffic for a rate to mean something.
    /// </summary>
    public static DemoSettings Default { get; } = new(50_000, 5_000, 64, TimeSpan.FromSeconds(8));

    /// <summary>Hard limit for the whole demo: scenarios that would start after it are reported as FAIL, not run.</summary>
    public static TimeSpan TotalBudget { get; } = TimeSpan.FromSeconds(25);
}
