using System.Diagnostics;

namespace SpNet.TestKit;

/// <summary>Waiting on observable conditions with an upper bound, instead of sleeping and hoping.</summary>
public static class Waiting
{
    /// <summary>Re-checks <paramref name="condition"/> every few milliseconds until it holds or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The condition still did not hold; the message names <paramref name="what"/>.</exception>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what = "condition")
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException($"{what} did not hold within {timeout.TotalSeconds:0.#} s");
            }
            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not finish; the message names <paramref name="what"/>.</exception>
    public static async Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, string what = "operation")
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds:0.#} s", ex);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    public static async Task WithTimeout(this Task task, TimeSpan timeout, string what = "operation")
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{what} did not finish within {timeout.TotalSeconds:0.#} s", ex);
        }
    }
}
