namespace SpNet.Discovery;

/// <summary>
/// A node's topic subscriber: one SUB socket dialed to every publisher listed under <see cref="ServiceMeta.TopicsService"/>
/// (dialers follow joins and leaves), subscribed to the topics that have handlers; one loop hands each message to the
/// topic's handlers in arrival order. A handler that throws is counted and does not stop the others.
/// </summary>
internal sealed class TopicSubscriber : IAsyncDisposable
{
    private readonly SubSocket _socket = new() { Linger = TimeSpan.Zero };
    private readonly object _gate = new();
    private readonly Dictionary<string, Dialer> _dialers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Func<byte[], CancellationToken, ValueTask>>> _handlers = new(StringComparer.Ordinal);
    private readonly TlsOptions? _tls;
    private readonly SocketLoop _loop;
    private bool _disposed;
    private long _handlerErrors;

    public TopicSubscriber(TlsOptions? tls, TimeSpan reconnectMaxTime)
    {
        _tls = tls;
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _loop = new SocketLoop(_socket, ReceiveAsync);
    }

    public SubSocket Socket => _socket;

    public long HandlerErrors => Volatile.Read(ref _handlerErrors);

    public void Refresh(ServiceSnapshot snapshot)
    {
        List<Dialer> removed = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            IReadOnlyList<ServiceMember> publishers = snapshot.MembersOf(ServiceMeta.TopicsService);
            var wanted = publishers.ToDictionary(p => p.Address, StringComparer.Ordinal);
            foreach (var (address, dialer) in _dialers.Where(d => !wanted.ContainsKey(d.Key)).ToList())
            {
                _dialers.Remove(address);
                removed.Add(dialer);
            }
            foreach (ServiceMember publisher in publishers.Where(p => !_dialers.ContainsKey(p.Address)))
            {
                // Socket.Tls is read as each dialer is made: each publisher is checked against the name it announced.
                _socket.Tls = ClusterTls.For(_tls, publisher.Meta.GetValueOrDefault(ServiceMeta.TlsName) ?? ServiceMeta.TopicsService);
                try
                {
                    _dialers[publisher.Address] = _socket.Dial(publisher.Address);
                }
                catch (SpNetException)
                {
                    // An address this side cannot dial: skip that publisher.
                }
            }
        }
        foreach (Dialer dialer in removed)
        {
            _ = dialer.DisposeAsync().AsTask();
        }
    }

    public IAsyncDisposable Subscribe(string topic, Func<byte[], CancellationToken, ValueTask> handler)
    {
        byte[] prefix = TopicFormat.Prefix(topic);
        lock (_gate)
        {
            if (!_handlers.TryGetValue(topic, out var list))
            {
                _handlers[topic] = list = [];
                _socket.Subscribe(prefix);
            }
            list.Add(handler);
        }
        return new Subscription(this, topic, prefix, handler);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _dialers.Clear();
        }
        await _loop.DisposeAsync().ConfigureAwait(false);
    }

    private void Unsubscribe(string topic, byte[] prefix, Func<byte[], CancellationToken, ValueTask> handler)
    {
        lock (_gate)
        {
            if (_handlers.TryGetValue(topic, out var list) && list.Remove(handler) && list.Count == 0)
            {
                _handlers.Remove(topic);
                if (!_socket.IsClosed)
                {
                    _socket.Unsubscribe(prefix);
                }
            }
        }
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string topic;
            byte[] body;
            try
            {
                using Message message = await _socket.ReceiveAsync(stop).ConfigureAwait(false);
                if (!TopicFormat.TryDecode(message.Body, out topic, out body))
                {
                    continue;
                }
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
                continue;
            }
            Func<byte[], CancellationToken, ValueTask>[] handlers;
            lock (_gate)
            {
                handlers = _handlers.TryGetValue(topic, out var list) ? [.. list] : [];
            }
            foreach (var handler in handlers)
            {
                try
                {
                    await handler(body, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _handlerErrors);
                }
            }
        }
    }

    private sealed class Subscription(TopicSubscriber owner, string topic, byte[] prefix, Func<byte[], CancellationToken, ValueTask> handler) : IAsyncDisposable
    {
        private int _disposed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(topic, prefix, handler);
            }
            return ValueTask.CompletedTask;
        }
    }
}
