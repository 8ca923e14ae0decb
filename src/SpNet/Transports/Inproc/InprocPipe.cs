using System.Runtime.CompilerServices;
using SpNet.Core;

namespace SpNet.Transports.Inproc;

/// <summary>
/// One end of an in-memory connection. Its write loop hands each queued message object to the other end's
/// socket: no copy, no framing. Closing either end closes both.
/// </summary>
internal sealed class InprocPipe : Pipe
{
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InprocPipe _peer = null!;

    private InprocPipe(ushort peerProtocol, string url, int sendQueueCapacity)
        : base(peerProtocol, url, url, sendQueueCapacity)
    {
    }

    /// <summary>Makes a connected pair; each end reports the other's protocol as its peer.</summary>
    public static (InprocPipe Dialer, InprocPipe Listener) CreatePair(ushort dialerProtocol, ushort listenerProtocol, string url, int dialerQueue, int listenerQueue)
    {
        var dialer = new InprocPipe(listenerProtocol, url, dialerQueue);
        var listener = new InprocPipe(dialerProtocol, url, listenerQueue);
        dialer._peer = listener;
        listener._peer = dialer;
        return (dialer, listener);
    }

    protected override Task ReadLoopAsync() => _closed.Task;

    protected override async Task WriteLoopAsync()
    {
        var queue = SendQueue;
        while (await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            while (queue.TryRead(out Message? message))
            {
                int length = message.Length;
                if (!await _peer.AcceptFromPeerAsync(message).ConfigureAwait(false))
                {
                    message.Dispose();
                    return;
                }
                Host.Statistics.CountSent(length);
            }
            Host.OnWritable(this);
        }
    }

    protected override void CloseTransport()
    {
        _closed.TrySetResult();
        _peer.Close(SpError.None);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AcceptFromPeerAsync(Message message)
    {
        if (IsClosed || !_started.Task.IsCompleted)
        {
            // Wait until the other side's socket has adopted its end, so nothing is delivered to a pipe without a host.
            await Task.WhenAny(_started.Task, _closed.Task).ConfigureAwait(false);
            if (IsClosed)
            {
                return false;
            }
        }
        if (message.IsShared)
        {
            // Another queue (a fan-out, or REQ's copy kept for resending) still holds this object: never mutate it.
            Message copy = message.Clone();
            message.Dispose();
            message = copy;
        }
        // The header travels separately from the body in memory; the receiving protocol expects the wire view.
        message.MoveHeaderToBodyFront();
        Host.Statistics.CountReceived(message.Length);
        await Host.DeliverAsync(this, message).ConfigureAwait(false);
        return true;
    }

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Marks this end as adopted by a socket.</summary>
    protected override void OnStarted() => _started.TrySetResult();
}
