namespace SpNet.Cli.Demo;

/// <summary>
/// The sockets of one demo run: none lingers (each demo checks delivery itself, so nothing is left to drain), the run
/// passes only if none of them dropped a message, and all are disposed together, newest first, however the run ends.
/// </summary>
internal sealed class DemoSockets : IAsyncDisposable
{
    private readonly List<Socket> _all = [];

    /// <summary>Takes <paramref name="socket"/> into the run and returns it.</summary>
    public T Add<T>(T socket)
        where T : Socket
    {
        socket.Linger = TimeSpan.Zero;
        _all.Add(socket);
        return socket;
    }

    /// <summary>
    /// Listens on <paramref name="listener"/> (<paramref name="name"/> names the address), dials it from each of
    /// <paramref name="dialers"/>, and returns once the listener has a pipe from each: a PUB forgets what it sends
    /// before a subscriber's pipe is attached, so every demo starts from connected sockets.
    /// </summary>
    /// <exception cref="DemoCheckException">The pipes did not appear before <paramref name="cancellationToken"/> fired.</exception>
    public static async Task ConnectAsync(DemoTransport transport, Socket listener, string name, CancellationToken cancellationToken, params Socket[] dialers)
    {
        string url = transport.Listen(listener, name);
        foreach (Socket dialer in dialers)
        {
            await dialer.DialAsync(url, cancellationToken).ConfigureAwait(false);
        }
        // A dial completes when the dialer's side is attached; the listener attaches its side a moment later, and
        // PUSH or PUB sending before then would route everything to the peers already present.
        try
        {
            await listener.WaitForPipesAsync(dialers.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new DemoCheckException($"{listener} had {listener.PipeCount} of {dialers.Length} connections when time ran out");
        }
    }

    /// <summary>Throws when any socket of the run counted a dropped message: every scenario is paced so that none should be.</summary>
    public void ExpectNoDrops()
    {
        foreach (Socket socket in _all)
        {
            long dropped = socket.Statistics.MessagesDropped;
            if (dropped != 0)
            {
                throw new DemoCheckException($"{socket} dropped {dropped} messages");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (int i = _all.Count - 1; i >= 0; i--)
        {
            await _all[i].DisposeAsync().ConfigureAwait(false);
        }
    }
}
