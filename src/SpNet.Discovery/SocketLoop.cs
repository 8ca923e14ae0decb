namespace SpNet.Discovery;

/// <summary>
/// One receive loop on one socket, owned together: started at construction, stopped once by
/// <see cref="DisposeAsync"/> (cancel the loop, close the socket so a pending receive ends, wait for the loop, then
/// dispose the socket).
/// </summary>
internal sealed class SocketLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Socket _socket;
    private readonly Task _loop;
    private int _disposed;

    /// <summary>Runs <paramref name="body"/> on the thread pool with a token canceled at dispose.</summary>
    public SocketLoop(Socket socket, Func<CancellationToken, Task> body)
    {
        _socket = socket;
        CancellationToken stop = _stop.Token;
        _loop = Task.Run(() => body(stop), CancellationToken.None);
    }

    /// <summary>Stops the loop and disposes the socket. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loop was cancelled.
        }
        await _socket.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
