namespace SpNet.Cli.Demo;

/// <summary>
/// The sockets of one demo run: none lingers (each demo checks delivery itself, so nothing is left to drain), and all
/// are disposed together, newest first, however the run ends.
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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        for (int i = _all.Count - 1; i >= 0; i--)
        {
            await _all[i].DisposeAsync().ConfigureAwait(false);
        }
    }
}
