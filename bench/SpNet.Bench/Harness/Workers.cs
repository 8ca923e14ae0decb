namespace SpNet.Bench.Harness;

/// <summary>Where a side of a run executes: a dedicated thread for blocking calls, the thread pool for SpNet's async API.</summary>
internal static class Workers
{
    /// <summary>Starts <paramref name="body"/>: on the thread pool for <see cref="Library.SpNetAsync"/>, else on a new dedicated thread.</summary>
    public static Task Start(Library library, string name, Func<Task> body)
    {
        if (library == Library.SpNetAsync)
        {
            return Task.Run(body);
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body().GetAwaiter().GetResult();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    /// <summary>Waits for <paramref name="tasks"/> up to <paramref name="timeout"/>; throws the first failure, or a <see cref="BenchException"/> on a stall.</summary>
    public static void Join(TimeSpan timeout, string what, params Task[] tasks)
    {
        if (!Task.WaitAll(tasks, timeout))
        {
            throw new BenchException($"{what}: stalled (no result within {timeout.TotalSeconds:F0} s)");
        }
    }

    /// <summary>Waits for <paramref name="task"/>; if it failed, unwraps its exception.</summary>
    public static void Wait(Task task, TimeSpan timeout, string what)
    {
        try
        {
            Join(timeout, what, task);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }
}
