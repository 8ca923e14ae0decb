namespace SpNet.Core;

/// <summary>
/// The background loop of a dialer (connect, redial) or listener (accept) and the endpoint's close: started once,
/// stopped once (the endpoint's own cleanup runs after the first stop only), and awaited on dispose, where its
/// cancellation is the expected way out rather than an error.
/// </summary>
/// <param name="onStopped">The endpoint's cleanup after the loop is canceled (close its connection or bound address, leave the socket).</param>
internal sealed class EndpointLoop(Action onStopped) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _task = Task.CompletedTask;
    private int _stopped;

    /// <summary>Canceled when the endpoint closes.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>True once <see cref="Stop"/> has run.</summary>
    public bool IsStopped => Volatile.Read(ref _stopped) != 0;

    /// <summary>Runs <paramref name="body"/> on the thread pool.</summary>
    public void Start(Func<Task> body) => _task = Task.Run(body);

    /// <summary>Cancels the loop and runs the endpoint's cleanup; idempotent.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }
        _stop.Cancel();
        onStopped();
    }

    /// <summary>Stops (as <see cref="Stop"/>), waits for the loop to end, then frees the token source.</summary>
    public async ValueTask DisposeAsync()
    {
        Stop();
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
