namespace SpNet.Discovery;

/// <summary>
/// The host end of tunnels: one polyamorous PAIR1 listener; each client connection that opens with an Open frame is a
/// tunnel, its frames routed by pipe id. A pipe lost before its Open frame was read is remembered, so a late Open does
/// not start a tunnel to nobody.
/// </summary>
internal sealed class TunnelAcceptor : IAsyncDisposable
{
    /// <summary>Pipe ids remembered as lost before their Open frame; past this many the oldest are forgotten.</summary>
    private const int MaxRememberedLosses = 4096;

    private readonly Pair1Socket _socket = Pair1Socket.CreatePolyamorous();
    private readonly object _gate = new();
    private readonly Dictionary<uint, Tunnel> _open = [];
    private readonly Queue<uint> _lostOrder = new();
    private readonly HashSet<uint> _lostBeforeOpen = [];
    private readonly string _service;
    private readonly int _window;
    private readonly int _maxWindow;
    private readonly TimeSpan _sendTimeout;
    private readonly Action<Tunnel> _accepted;
    private readonly SocketLoop _loop;

    public TunnelAcceptor(string url, TlsOptions? tls, string service, int window, int maxWindow, TimeSpan sendTimeout, Action<Tunnel> accepted)
    {
        _service = service;
        _window = window;
        _maxWindow = maxWindow;
        _sendTimeout = sendTimeout;
        _accepted = accepted;
        _socket.Tls = tls;
        _socket.Linger = TimeSpan.FromSeconds(1);
        // Sends on a polyamorous socket never wait and drop when the pipe queue is full; credit bounds what is queued
        // per tunnel to the client's window (at most 4096, grown or not) plus a few control frames, so this never drops.
        _socket.SendBufferSize = 8192;
        _socket.PipeRemoved += OnPipeRemoved;
        Url = _socket.Listen(url).Url;
        _loop = new SocketLoop(_socket, ReceiveAsync);
    }

    public string Url { get; }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task ReceiveAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Message frame;
            try
            {
                frame = await _socket.ReceiveAsync(stop).ConfigureAwait(false);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
                continue;
            }
            using (frame)
            {
                Route(frame.PipeId, frame.Body);
            }
        }
    }

    private void Route(uint pipe, ReadOnlySpan<byte> frame)
    {
        Tunnel? tunnel;
        bool opened = false;
        lock (_gate)
        {
            if (!_open.TryGetValue(pipe, out tunnel))
            {
                if (frame.IsEmpty || frame[0] != TunnelFrame.Open || _lostBeforeOpen.Remove(pipe))
                {
                    return;
                }
                tunnel = new Tunnel(new Link(this, pipe), _service, $"pipe {pipe}", _window, _maxWindow, _sendTimeout);
                _open.Add(pipe, tunnel);
                opened = true;
            }
        }
        tunnel.Deliver(frame);
        if (opened)
        {
            Message grant = TunnelFrame.CreateGrant(TunnelFrame.Credit, _window);
            grant.PipeId = pipe;
            _socket.TrySend(grant);
            _accepted(tunnel);
        }
    }

    private void OnPipeRemoved(object? sender, PipeEventArgs e)
    {
        Tunnel? tunnel;
        lock (_gate)
        {
            if (!_open.Remove(e.PipeId, out tunnel))
            {
                if (_lostBeforeOpen.Add(e.PipeId))
                {
                    _lostOrder.Enqueue(e.PipeId);
                    if (_lostOrder.Count > MaxRememberedLosses)
                    {
                        _lostBeforeOpen.Remove(_lostOrder.Dequeue());
                    }
                }
                return;
            }
        }
        tunnel.LinkLost("the client went away (connection lost)");
    }

    /// <summary>One pipe of the polyamorous socket; disposing it leaves the pipe to the client, who closes it.</summary>
    private sealed class Link(TunnelAcceptor acceptor, uint pipe) : ITunnelLink
    {
        public ValueTask SendAsync(Message frame, CancellationToken cancellationToken)
        {
            frame.PipeId = pipe;
            acceptor._socket.TrySend(frame);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
