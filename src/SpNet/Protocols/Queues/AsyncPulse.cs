namespace SpNet.Protocols.Routing;

/// <summary>
/// "Something changed, try again": waiters arm the pulse, retry their non-blocking operation, and only then
/// wait. A pulse allocates only when someone is actually waiting, so the steady state costs one volatile write.
/// </summary>
internal sealed class AsyncPulse
{
    private TaskCompletionSource _current = New();
    private int _armed;

    /// <summary>Arms the pulse and returns the task the next <see cref="Pulse"/> completes. Call before retrying.</summary>
    public Task Arm()
    {
        Volatile.Write(ref _armed, 1);
        return Volatile.Read(ref _current).Task;
    }

    /// <summary>Wakes everyone who armed since the last pulse.</summary>
    public void Pulse()
    {
        if (Volatile.Read(ref _armed) == 0 || Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return;
        }
        Interlocked.Exchange(ref _current, New()).TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
