namespace SpNet.Discovery;

/// <summary>Follows a socket's connected pipes so callers can wait for a count.</summary>
internal sealed class ConnectedPipes
{
    private readonly object _gate = new();
    private readonly HashSet<uint> _pipes = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConnectedPipes(Socket socket)
    {
        socket.PipeAdded += (_, e) => Update(() => _pipes.Add(e.PipeId));
        socket.PipeRemoved += (_, e) => Update(() => _pipes.Remove(e.PipeId));
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pipes.Count;
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> pipes are connected; false when <paramref name="bound"/> passed first.</summary>
    public async Task<bool> WaitForAsync(int count, TimeSpan bound, CancellationToken cancellationToken)
    {
        long deadline = Environment.TickCount64 + (long)bound.TotalMilliseconds;
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_pipes.Count >= count)
                {
                    return true;
                }
                changed = _changed.Task;
            }
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }
            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(left), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    private void Update(Func<bool> change)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            change();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
