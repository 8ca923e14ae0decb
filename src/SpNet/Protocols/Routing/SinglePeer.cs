using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>
/// The one connection of a PAIR socket (v0, or v1 monogamous): the first pipe is kept, any other is refused while it
/// lives (the caller closes it, as NNG's EBUSY). Sends go to it through a <see cref="LoadBalancer"/> of one, so they
/// wait while the peer is absent or its queue is full.
/// </summary>
internal sealed class SinglePeer
{
    private readonly object _gate = new();
    private Pipe? _pipe;

    /// <summary>Where sends go: the current peer, or nothing while there is none.</summary>
    public LoadBalancer Balancer { get; } = new();

    /// <summary>Takes <paramref name="pipe"/> as the peer; false when there already is one.</summary>
    public bool TryAdd(Pipe pipe)
    {
        lock (_gate)
        {
            if (_pipe is not null)
            {
                return false;
            }
            _pipe = pipe;
        }
        Balancer.Add(pipe);
        return true;
    }

    /// <summary>Forgets <paramref name="pipe"/> if it is the peer; a refused pipe leaves the peer alone.</summary>
    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            if (_pipe != pipe)
            {
                return;
            }
            _pipe = null;
        }
        Balancer.Remove(pipe);
    }
}
