namespace SpNet.TestKit;

/// <summary>
/// A fixed set of restartable peer processes (the nodes of an etcd cluster, a set of registries): each slot holds the
/// process last started for it; starting it again ends the old one first, and disposing ends them all.
/// </summary>
public sealed class PeerSlots(int count) : IAsyncDisposable
{
    private readonly PeerProcess?[] _processes = new PeerProcess?[count];

    /// <summary>The number of slots.</summary>
    public int Count => _processes.Length;

    /// <summary>The process last started in slot <paramref name="index"/>, or <see langword="null"/> before the first start.</summary>
    public PeerProcess? this[int index] => _processes[index];

    /// <summary>Ends slot <paramref name="index"/>'s process, if any, then puts the one <paramref name="start"/> starts in its place.</summary>
    public async Task<PeerProcess> StartAsync(int index, Func<PeerProcess> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (_processes[index] is { } old)
        {
            await old.DisposeAsync().ConfigureAwait(false);
        }
        return _processes[index] = start();
    }

    /// <summary>Kills slot <paramref name="index"/>'s process (SIGKILL), if it has one.</summary>
    public void Kill(int index) => _processes[index]?.Kill();

    /// <summary>True while slot <paramref name="index"/>'s process runs.</summary>
    public bool IsRunning(int index) => _processes[index] is { HasExited: false };

    /// <summary>The processes still running, each with the role <paramref name="role"/> gives its slot (for failure messages).</summary>
    public IEnumerable<(string Role, PeerProcess Process)> Running(Func<int, string> role)
    {
        ArgumentNullException.ThrowIfNull(role);
        for (int i = 0; i < _processes.Length; i++)
        {
            if (_processes[i] is { HasExited: false } process)
            {
                yield return (role(i), process);
            }
        }
    }

    /// <summary>Ends every process.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (PeerProcess? process in _processes)
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
