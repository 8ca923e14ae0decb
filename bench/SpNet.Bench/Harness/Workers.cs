namespace SpNet.Bench.Harness;

/// <summary>Where a side of a run executes: a dedicated thread for blocking calls, the thread pool for SpNet's async API.</summary>
internal static class Workers
{
    /// <summary>Starts <paramref name="body"/>: on the thread pool for <see cref="Library.SpNetAsync"/>, else on a new dedicated thread.</summary>
    public static Task Start(Library library, string name, Func<Task> body) =>
        library == Library.SpNetAsync ? Task.Run(body) : Dedicated(name, body);

    /// <summary>Runs <paramref name="body"/> on a new dedicated background thread (its awaits may continue elsewhere).</summary>
    public static Task Dedicated(string name, Func<Task> body)
    {
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

    /// <summary>
    /// Waits for <paramref name="tasks"/> up to <paramref name="timeout"/>; throws the first failure as soon as it
    /// happens (the others may be waiting for the failed one), or a <see cref="BenchException"/> on a stall.
    /// </summary>
    public static void Join(TimeSpan timeout, string what, params Task[] tasks)
    {
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var pending = new List<Task>(tasks);
        while (pending.Count > 0)
        {
            long left = deadline - Environment.TickCount64;
            int done = left > 0 ? Task.WaitAny([.. pending], (int)Math.Min(left, int.MaxValue)) : -1;
            if (done < 0)
            {
                throw new BenchException($"{what}: stalled (no result within {timeout.TotalSeconds:F0} s)");
            }
            Task task = pending[done];
            pending.RemoveAt(done);
            if (task.IsFaulted)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(task.Exception!.InnerExceptions[0]).Throw();
            }
        }
    }
}
