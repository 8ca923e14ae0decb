namespace SpNet.TestKit;

/// <summary>
/// The interop tests' spelling of <see cref="Eventually"/> (explicit timeout first, extension form for tasks);
/// both wait on observable conditions with an upper bound instead of sleeping and hoping.
/// </summary>
public static class Waiting
{
    /// <summary>Re-checks <paramref name="condition"/> until it holds; <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what = "condition") =>
        Eventually.True(condition, what, timeout);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    public static Task<T> WithTimeout<T>(this Task<T> task, TimeSpan timeout, string what = "operation") =>
        Eventually.Within(task, what, timeout);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    public static Task WithTimeout(this Task task, TimeSpan timeout, string what = "operation") =>
        Eventually.Within(task, what, timeout);
}
