using System.Diagnostics;

namespace SpNet.TestKit;

/// <summary>
/// Waiting with an upper bound: poll a condition every few milliseconds and fail with a message when the bound
/// passes. The bound is a limit on waiting, never a sleep that hopes something happened meanwhile.
/// </summary>
public static class Eventually
{
    /// <summary>Default upper bound for one wait; tests should normally finish far below it.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(5);

    /// <summary>Returns once <paramref name="condition"/> is true; throws <see cref="TimeoutException"/> with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task True(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        TimeSpan bound = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > bound)
            {
                throw new TimeoutException($"not true within {bound.TotalMilliseconds:0} ms: {what}");
            }
            await Task.Delay(s_pollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Blocking form of <see cref="True"/> for synchronous tests.</summary>
    public static void TrueSync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        True(condition, what, timeout).GetAwaiter().GetResult();

    /// <summary>Awaits <paramref name="task"/>, failing with <see cref="TimeoutException"/> naming <paramref name="what"/> if it takes longer than the bound.</summary>
    public static async Task<T> Within<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        TimeSpan bound = timeout ?? DefaultTimeout;
        try
        {
            return await task.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"did not complete within {bound.TotalMilliseconds:0} ms: {what}");
        }
    }

    /// <inheritdoc cref="Within{T}(Task{T}, string, TimeSpan?)"/>
    public static Task<T> Within<T>(ValueTask<T> task, string what, TimeSpan? timeout = null) => Within(task.AsTask(), what, timeout);

    /// <inheritdoc cref="Within{T}(Task{T}, string, TimeSpan?)"/>
    public static async Task Within(Task task, string what, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        TimeSpan bound = timeout ?? DefaultTimeout;
        try
        {
            await task.WaitAsync(bound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"did not complete within {bound.TotalMilliseconds:0} ms: {what}");
        }
    }

    /// <inheritdoc cref="Within{T}(Task{T}, string, TimeSpan?)"/>
    public static Task Within(ValueTask task, string what, TimeSpan? timeout = null) => Within(task.AsTask(), what, timeout);
}
