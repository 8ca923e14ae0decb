namespace SpNet.Discovery;

/// <summary>The client end of a tunnel: a monogamous PAIR1 socket of its own, dialed to the member's tunnel address.</summary>
internal sealed class ClientTunnelLink : ITunnelLink
{
    private readonly Pair1Socket _socket;
    // Canceled when the pipe goes. Not disposed: a pipe-removed event may still arrive while the socket closes, and
    // a token source with no timer holds nothing to free.
    private readonly CancellationTokenSource _lost = new();
    private Tunnel? _tunnel;
    private SocketLoop? _loop;

    private ClientTunnelLink(Pair1Socket socket) => _socket = socket;

    /// <summary>Dials <paramref name="url"/>, sends Open with our window and waits for the member's first credit.</summary>
    /// <exception cref="SpNetException">The member cannot be reached or did not accept within <paramref name="openTimeout"/>.</exception>
    public static async Task<Tunnel> OpenAsync(string service, string url, TlsOptions? tls, int window, int maxWindow, TimeSpan sendTimeout, TimeSpan openTimeout, CancellationToken cancellationToken)
    {
        // Linger lets the Close frame leave before the socket goes; what the peer sends is bounded by our window.
        var socket = new Pair1Socket { Tls = tls, Linger = TimeSpan.FromSeconds(1) };
        var link = new ClientTunnelLink(socket);
        var tunnel = new Tunnel(link, service, url, window, maxWindow, sendTimeout);
        link._tunnel = tunnel;
        socket.PipeRemoved += (_, _) => link._lost.Cancel();
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(openTimeout);
            try
            {
                await socket.DialAsync(url, deadline.Token).ConfigureAwait(false);
                link._loop = new SocketLoop(socket, link.ReceiveAsync);
                await socket.SendAsync(TunnelFrame.CreateGrant(TunnelFrame.Open, window), deadline.Token).ConfigureAwait(false);
                await tunnel.Accepted.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SpNetException(SpError.TimedOut, $"service '{service}': the tunnel to {url} was not accepted within {openTimeout.TotalSeconds:0.###} s", ex);
            }
            catch (SpNetException ex) when (ex.Error != SpError.TimedOut)
            {
                throw new SpNetException(ex.Error, $"service '{service}': cannot open a tunnel to {url}: {ex.Message}", ex);
            }
        }
        catch
        {
            await link.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return tunnel;
    }

    public ValueTask SendAsync(Message frame, CancellationToken cancellationToken) => _socket.SendAsync(frame, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_loop is null)
        {
            await _socket.DisposeAsync().ConfigureAwait(false);
            return;
        }
        await _loop.DisposeAsync().ConfigureAwait(false);
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        using var receiving = CancellationTokenSource.CreateLinkedTokenSource(stop, _lost.Token);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using Message frame = await _socket.ReceiveAsync(receiving.Token).ConfigureAwait(false);
                _tunnel!.Deliver(frame.Body);
            }
            catch (OperationCanceledException) when (_lost.IsCancellationRequested && !stop.IsCancellationRequested)
            {
                // Frames that arrived before the connection went are still queued. Delivering them first keeps a
                // member's last messages and its Close frame, so a member that closed before leaving ends the
                // stream rather than failing it (the pipe-removed event overtakes the frames otherwise).
                while (_socket.TryReceive(out Message? queued))
                {
                    using (queued)
                    {
                        _tunnel!.Deliver(queued.Body);
                    }
                }
                _tunnel!.LinkLost("the member went away (connection lost)");
                return;
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
                // A receive error on a live socket: the next receive sees the pipe's fate.
            }
        }
    }
}
