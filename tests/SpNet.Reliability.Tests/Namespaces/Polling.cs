namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>The one polling loop of the timeline and the partition monitor: poll, check, wait a step, until a deadline.</summary>
internal static class Polling
{
    /// <summary>
    /// Calls <paramref name="poll"/> and checks <paramref name="condition"/> every <paramref name="step"/> until it holds
    /// (true) or <paramref name="now"/> reaches <paramref name="until"/>; then polls and checks once more.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<TimeSpan> now, TimeSpan until, TimeSpan step, Action poll, Func<bool> condition)
    {
        while (now() < until)
        {
            poll();
            if (condition())
            {
                return true;
            }
            await Task.Delay(step);
        }
        poll();
        return condition();
    }
}
