namespace SpNet.Discovery;

/// <summary>A handler set once; serve loops await it, so work that arrives before the handler is set waits in the socket's queue.</summary>
internal sealed class HandlerSlot<T>(string what) where T : class
{
    private readonly TaskCompletionSource<T> _handler = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> WhenSet => _handler.Task;

    /// <summary>The handler once it is set, or null when <paramref name="stop"/> fires first (the host is stopping).</summary>
    public async Task<T?> WaitAsync(CancellationToken stop)
    {
        try
        {
            return await _handler.Task.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Set(T handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_handler.TrySetResult(handler))
        {
            throw new InvalidOperationException($"the {what} handler is already set");
        }
    }
}
