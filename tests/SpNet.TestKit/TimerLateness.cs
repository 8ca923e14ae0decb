using System.Diagnostics;

namespace SpNet.TestKit;

/// <summary>
/// A control for tests that bound how late a timeout fires: a plain <see cref="Task.Delay(TimeSpan)"/> started at
/// the same moment measures how late the runtime's timers (and the thread pool that runs their continuations) are
/// right now. On a loaded machine SpNet's timer and the control are late together, so a test asserts on SpNet's
/// lateness beyond the control's — a ratio to the machine, not an absolute figure that only a quiet machine meets.
/// </summary>
public static class TimerLateness
{
    /// <summary>Starts a control timer of <paramref name="delay"/>; the task gives how much later than that it fired (never negative).</summary>
    public static async Task<TimeSpan> StartAsync(TimeSpan delay)
    {
        var clock = Stopwatch.StartNew();
        await Task.Delay(delay).ConfigureAwait(false);
        TimeSpan late = clock.Elapsed - delay;
        return late > TimeSpan.Zero ? late : TimeSpan.Zero;
    }
}
