namespace SpNet.Discovery;

/// <summary>Shutdown shared by the discovery types that run one receive loop on one socket.</summary>
internal static class SocketLoop
{
    /// <summary>Cancels the loop, closes the socket so a pending receive ends, waits for the loop, then disposes the socket.</summary>
    public static async ValueTask StopAsync(CancellationTokenSource stop, Socket socket, Task loop)
    {
        await stop.CancelAsync().ConfigureAwait(false);
        socket.Close();
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the loop was cancelled.
        }
        await socket.DisposeAsync().ConfigureAwait(false);
    }
}
