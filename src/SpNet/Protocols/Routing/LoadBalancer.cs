using SpNet.Core;
using SpNet.Internal;

namespace SpNet.Protocols.Routing;

/// <summary>
/// Gives each message to one pipe with room in its send queue, rotating the starting pipe so that ready pipes
/// take turns (round robin). When none has room, senders wait until one drains or a new pipe arrives.
/// Used by PUSH, REQ and PAIR.
/// </summary>
/// <remarks>Senders that find no room wait in <see cref="SendWaiters"/>, which retries them here.</remarks>
internal sealed class LoadBalancer : ISendTarget, IPipeSet
{
    private readonly object _gate = new();
    private readonly SendWaiters _waiting = new();
    private Pipe[] _pipes = [];
    private int _next;

    /// <summary>Pipes currently attached.</summary>
    public int Count => Volatile.Read(ref _pipes).Length;

    /// <summary>Senders currently waiting for room (for tests and diagnostics).</summary>
    internal int WaitingCount => _waiting.Count;

    /// <summary>Attaches a pipe and wakes waiting senders.</summary>
    public void Add(Pipe pipe)
    {
        lock (_gate)
        {
            _pipes = [.. _pipes, pipe];
        }
        _waiting.OnWritable();
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
    public void OnWritable() => _waiting.OnWritable();

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
    public ValueTask SendAsync(Message message, CancellationToken cancellationToken) => SendAsync(message, null, cancellationToken);

    /// <summary>
    /// As <see cref="SendAsync(Message, CancellationToken)"/>; <paramref name="outcome"/>, when given, learns which pipe
    /// took the message or that the send failed, before the send completes: a sender with work after the send (REQ
    /// arms its resend) then needs no async method of its own around this one, whose suspension would allocate a box
    /// of its own under many concurrent waits.
    /// </summary>
    public ValueTask SendAsync(Message message, ISendOutcome? outcome, CancellationToken cancellationToken)
    {
        if (_waiting.IsClosed)
        {
            outcome?.Failed(message);
            ThrowHelper.ThrowClosed("socket");
        }
        if (TrySend(message, out Pipe? used))
        {
            outcome?.Sent(message, used!);
            return ValueTask.CompletedTask;
        }
        return _waiting.SendAsync(message, this, outcome, cancellationToken);
    }

    /// <summary>Fails every waiting sender with Closed.</summary>
    public void Close() => _waiting.Close();
}
