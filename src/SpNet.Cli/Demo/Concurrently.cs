namespace SpNet.Cli.Demo;

/// <summary>Runs a scenario's senders and receivers together and stops them all at the first failure.</summary>
internal static class Concurrently
{
    /// <summary>
    /// Runs every action on the thread pool with a shared token. When one fails, the rest are canceled so the
    /// scenario ends at once instead of at its timeout, and the first failure (not the cancellations it caused) is
    /// rethrown, preferring a failed check over a bare cancellation.
    /// </summary>
    public static async Task RunAsync(CancellationToken cancellationToken, params Func<CancellationToken, Task>[] actions)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var tasks = actions.Select(action => Task.Run(async () =>
        {
            try
            {
                await action(stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Anything failing after a sibling stopped the group (and not because time ran out) is a consequence.
                bool consequence = stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested;
                if (!consequence)
                {
                    failures.Enqueue(ex);
                }
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        // A receiver's own account ("timed out after 812 of 20000") says more than a sender's bare cancellation.
        Exception? reported = failures.FirstOrDefault(f => f is DemoCheckException) ?? failures.FirstOrDefault();
        if (reported is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(reported);
        }
    }
}
