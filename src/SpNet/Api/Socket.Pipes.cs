using SpNet.Core;
using SpNet.Internal;

namespace SpNet;

public abstract partial class Socket
{
    /// <summary>Callers of <see cref="WaitForPipesAsync"/> not yet satisfied, each with the count it waits for. Guarded by <c>_gate</c>.</summary>
    private readonly List<(int Count, TaskCompletionSource Done)> _pipeWaiters = [];

    /// <summary>
    /// Pipes (connections to peers) attached now, as counted for <see cref="WaitForPipesAsync"/>: a pipe counts once
    /// the protocol has adopted it, so a message sent afterwards can go to that peer.
    /// </summary>
    public int PipeCount
    {
        get
        {
            lock (_gate)
            {
                return _pipes.Count;
            }
        }
    }

    /// <summary>
    /// Completes once at least <paramref name="count"/> pipes are attached (see <see cref="PipeCount"/>): the way for a
    /// PUB, PUSH or SURVEYOR to wait for its peers before the first send, since those patterns send only to peers
    /// already connected. Completes at once if there are enough already. A pipe that attaches and closes again before
    /// this call does not count.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.Closed"/> when the socket closes first.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public Task WaitForPipesAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ThrowIfClosed();
            if (_pipes.Count >= count)
            {
                return Task.CompletedTask;
            }
            _pipeWaiters.Add((count, done));
        }
        return cancellationToken.CanBeCanceled ? WaitCancelableAsync(done, cancellationToken) : done.Task;
    }

    private async Task WaitCancelableAsync(TaskCompletionSource done, CancellationToken cancellationToken)
    {
        using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), done))
        {
            try
            {
                await done.Task.ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _pipeWaiters.RemoveAll(w => w.Done == done);
                }
            }
        }
    }

    /// <summary>Completes the waiters the current pipe count satisfies (all of them, failed, once the socket is closed).</summary>
    private void ReleasePipeWaiters()
    {
        List<TaskCompletionSource>? ready = null;
        lock (_gate)
        {
            for (int i = _pipeWaiters.Count - 1; i >= 0; i--)
            {
                if (IsClosed || _pipeWaiters[i].Count <= _pipes.Count)
                {
                    (ready ??= []).Add(_pipeWaiters[i].Done);
                    _pipeWaiters.RemoveAt(i);
                }
            }
        }
        foreach (TaskCompletionSource done in ready ?? [])
        {
            if (IsClosed)
            {
                done.TrySetException(new SpNetException(SpError.Closed, $"{this} closed while waiting for pipes"));
            }
            else
            {
                done.TrySetResult();
            }
        }
    }

    /// <summary>Runs a user event handler; an exception from it is logged, never allowed into an I/O loop.</summary>
    private void Raise(EventHandler<PipeEventArgs>? handler, PipeEventArgs args)
    {
        if (handler is null)
        {
            return;
        }
        try
        {
            handler(this, args);
        }
#pragma warning disable CA1031 // user code must not break the pipe machinery
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Logger is not null)
            {
                Log.EventHandlerFailed(Logger, args.EndpointUrl, ex.Message);
            }
        }
    }

    /// <summary>
    /// The socket as its pipes and endpoints see it: adopting new pipes, routing their messages to the protocol,
    /// and forgetting them when they close.
    /// </summary>
    internal sealed class PipeHost(Socket socket) : IPipeHost
    {
        public SocketStatistics Statistics => socket.Statistics;

        public Microsoft.Extensions.Logging.ILogger? Logger => socket.Logger;

        /// <summary>
        /// Offers a negotiated pipe to the protocol. Returns false, having closed the pipe and counted why, when the
        /// socket is closed, the peer speaks the wrong protocol, or the protocol refuses it.
        /// </summary>
        public bool Attach(Pipe pipe, IEndpoint endpoint)
        {
            if (pipe.PeerProtocol != socket.PeerId)
            {
                Statistics.RecordPipeRejected();
                Statistics.RecordProtocolError();
                string why = $"peer protocol 0x{pipe.PeerProtocol:x} is not {socket.PeerName} (0x{socket.PeerId:x})";
                if (Logger is not null)
                {
                    Log.PipeRejected(Logger, endpoint.Url, pipe.RemoteAddress, why);
                }
                pipe.Close(SpError.Protocol, why);
                return false;
            }
            lock (socket._gate)
            {
                if (socket.IsClosed)
                {
                    pipe.Close(SpError.Closed, "socket closed");
                    return false;
                }
                if (!socket.Protocol.AddPipe(pipe))
                {
                    Statistics.RecordPipeRejected();
                    if (Logger is not null)
                    {
                        Log.PipeRejected(Logger, endpoint.Url, pipe.RemoteAddress, "the protocol has no room for another peer");
                    }
                    pipe.Close(SpError.Busy, "protocol refused a further peer");
                    return false;
                }
                socket._pipes.Add(pipe);
                Statistics.RecordPipeOpened(); // under the lock, as the close count, so retirement sees both or neither
            }
            pipe.Owner = endpoint;
            pipe.Start(this, Logger);
            socket.ReleasePipeWaiters();
            socket.Raise(socket.PipeAdded, new PipeEventArgs(pipe.Id, pipe.RemoteAddress, endpoint.Url, pipe.RemoteCertificate));
            return true;
        }

        public ValueTask DeliverAsync(Pipe pipe, Message message)
        {
            message.Pipe = pipe;
            return socket.Protocol.DeliverAsync(pipe, message);
        }

        public void OnWritable(Pipe pipe) => socket.Protocol.OnPipeWritable(pipe);

        public void OnClosed(Pipe pipe)
        {
            bool removed;
            lock (socket._gate)
            {
                removed = socket._pipes.Remove(pipe);
                if (removed)
                {
                    // Counted under the lock: a Close() that finds no pipes left must find this one counted.
                    Statistics.RecordPipeClosed();
                }
            }
            if (!removed)
            {
                return;
            }
            socket.Protocol.RemovePipe(pipe);
            socket.RetireWhenQuiet();
            string url = pipe.Owner?.Url ?? "";
            socket.Raise(socket.PipeRemoved, new PipeEventArgs(pipe.Id, pipe.RemoteAddress, url, pipe.RemoteCertificate));
        }
    }
}
