namespace SpNet.Cli.Demo;

/// <summary>Waits until sockets have the pipes a scenario needs before it starts sending.</summary>
internal static class Connections
{
    /// <summary>
    /// Completes once <paramref name="socket"/> has at least <paramref name="pipes"/> attached pipes. A dial completes
    /// when the dialer's side is attached; the listener attaches its side a moment later, and PUSH or PUB sending
    /// before then would route everything to the peers already present.
    /// </summary>
    /// <exception cref="DemoCheckException">The pipes did not appear before <paramref name="cancellationToken"/> fired.</exception>
    public static async Task WaitForPipesAsync(Socket socket, int pipes, CancellationToken cancellationToken)
    {
        try
        {
            await socket.WaitForPipesAsync(pipes, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new DemoCheckException($"{socket} had {socket.PipeCount} of {pipes} connections when time ran out");
        }
    }

    /// <summary>Throws when any socket counted a dropped message: every scenario is paced so that none should be.</summary>
    public static void ExpectNoDrops(params Socket[] sockets)
    {
        foreach (Socket socket in sockets)
        {
            long dropped = socket.Statistics.MessagesDropped;
            if (dropped != 0)
            {
                throw new DemoCheckException($"{socket} dropped {dropped} messages");
            }
        }
    }
}
