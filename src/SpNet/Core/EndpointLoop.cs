namespace SpNet.Core;

/// <summary>
/// The background loop of a dialer (connect, redial) or listener (accept): started once, stopped once, and awaited
/// on dispose, where its cancellation is the expected way out rather than an error.
/// </summary>
internal sealed class EndpointLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _task = Task.CompletedTask;
    private int _stopped;

    /// <summary>Canceled when the endpoint closes.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once <see cref="TryStop"/> has run.</summary>
    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>Runs <paramref name="body"/> on the thread pool.</summary>
    public void Start(Func<Task> body) => _task = Task.Run(body);

    /// <summary>Cancels the loop; true only for the first call, which the caller follows with its own cleanup.</summary>
    public bool TryStop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return false;
        }
        _stop.Cancel();
        return true;
    }

    /// <summary>Waits for the loop to end (call <see cref="TryStop"/> first), then frees the token source.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the loop.
        }
        _stop.Dispose();
    }
}
