using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Best-effort multicast to every attached pipe (BUS, STAR): the message is shared by reference count, a pipe
/// whose queue is full misses it (counted as dropped), and nobody waits. Used where PUB's rules apply to peers.
/// </summary>
internal sealed class Fanout
{
    private readonly object _gate = new();
    private Pipe[] _pipes = [];

    /// <summary>Pipes attached now.</summary>
    public int Count => Volatile.Read(ref _pipes).Length;

    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
    }

    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

    /// <summary>True when some pipe other than <paramref name="except"/> is attached.</summary>
    public bool HasOtherThan(Pipe? except)
    {
        Pipe[] pipes = Volatile.Read(ref _pipes);
        return pipes.Length > 1 || (pipes.Length == 1 && pipes[0] != except);
    }

    /// <summary>
    /// Offers <paramref name="message"/> to every pipe except <paramref name="except"/> (and except the pipe whose
    /// id is <paramref name="exceptId"/>), then releases the caller's reference: ownership is always taken.
    /// </summary>
    public void Send(Message message, SocketStatistics statistics, Pipe? except = null, uint exceptId = 0)
    {
        foreach (Pipe pipe in Volatile.Read(ref _pipes))
        {
            if (pipe == except || pipe.Id == exceptId)
            {
                continue;
            }
            message.AddReference();
            if (!pipe.TrySend(message))
            {
                statistics.RecordDropped();
                message.Dispose();
            }
        }
        message.Dispose();
    }
}
