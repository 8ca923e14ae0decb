using System.Runtime.CompilerServices;
using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Gives each message to one pipe with room in its send queue, rotating the starting pipe so that ready pipes
/// take turns (round robin). When none has room, senders wait until one drains or a new pipe arrives.
/// Used by PUSH, REQ and PAIR.
/// </summary>
internal sealed class LoadBalancer
{
    private readonly object _gate = new();
    private readonly AsyncPulse _writable = new();
    private Pipe[] _pipes = [];
    private int _next;
    private volatile bool _closed;

    /// <summary>Pipes currently attached.</summary>
    public int Count => Volatile.Read(ref _pipes).Length;

    /// <summary>Attaches a pipe and wakes waiting senders.</summary>
    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
        _writable.Pulse();
    }

    /// <summary>Detaches a pipe.</summary>
    public void Remove(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = Array.FindAll(_pipes, p => p != pipe);
        }
    }

    /// <summary>Signals that some pipe has room again.</summary>
    public void OnWritable() => _writable.Pulse();

    /// <summary>Gives the message to the next pipe with room. On true the pipe owns it.</summary>
    public bool TrySend(Message message, out Pipe? used)
    {
        Pipe[] pipes = Volatile.Read(ref _pipes);
        int count = pipes.Length;
        if (count > 0)
        {
            int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)count);
            for (int i = 0; i < count; i++)
            {
                Pipe pipe = pipes[(start + i) % count];
                if (pipe.TrySend(message))
                {
                    used = pipe;
                    return true;
                }
            }
        }
        used = null;
        return false;
    }

    /// <summary>Gives the message to a pipe, waiting for room. Throws <see cref="SpNetException"/> (Closed) if the socket closes.</summary>
    public ValueTask<Pipe> SendAsync(Message message, CancellationToken cancellationToken)
    {
        if (_closed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
        return TrySend(message, out Pipe? used) ? ValueTask.FromResult(used!) : SlowAsync(message, cancellationToken);
    }

    /// <summary>Fails every waiting sender with Closed.</summary>
    public void Close()
    {
        _closed = true;
        _writable.Pulse();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Pipe> SlowAsync(Message message, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wake = _writable.Arm();
            if (TrySend(message, out Pipe? used))
            {
                return used!;
            }
            if (_closed)
            {
                ThrowHelper.ThrowClosed("socket");
            }
            await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
