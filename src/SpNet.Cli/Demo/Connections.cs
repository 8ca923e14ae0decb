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
    /// <summary>
    /// Listens on <paramref name="listener"/> (<paramref name="name"/> names the address), dials it from each of
    /// <paramref name="dialers"/>, and returns once the listener has a pipe from each: a PUB forgets what it sends
    /// before a subscriber's pipe is attached, so every demo starts from connected sockets.
    /// </summary>
    public static async Task ConnectAsync(DemoTransport transport, Socket listener, string name, CancellationToken cancellationToken, params Socket[] dialers)
    {
        string url = transport.Listen(listener, name);
        foreach (Socket dialer in dialers)
        {
            await dialer.DialAsync(url, cancellationToken).ConfigureAwait(false);
        }
        await WaitForPipesAsync(listener, dialers.Length, cancellationToken).ConfigureAwait(false);
    }

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
