namespace SpNet.Discovery;

/// <summary>A bounded <see cref="Socket.WaitForPipesAsync"/>: true when the pipes came, false when the bound passed first.</summary>
internal static class PipeWait
{
    public static async Task<bool> ForAsync(Socket socket, int count, TimeSpan bound, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(bound);
        try
        {
            await socket.WaitForPipesAsync(count, deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
