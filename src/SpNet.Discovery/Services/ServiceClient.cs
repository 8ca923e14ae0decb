namespace SpNet.Discovery;

/// <summary>
/// Addresses services by name, Iris-style, following a <see cref="DiscoveryClient"/>:
/// <see cref="RequestAsync"/> (one member, load-balanced and zone-aware), <see cref="BroadcastAsync"/> (every member,
/// fire-and-forget), <see cref="GatherAsync"/> (every member's reply within a deadline, SURVEYOR semantics),
/// <see cref="OpenTunnelAsync"/> (an ordered, flow-controlled stream to one member), and topics across every node
/// (<see cref="PublishAsync"/>, <see cref="SubscribeAsync"/>). Connections to a service are made on its first use and
/// then follow the members as snapshots change, so no call dials. A call naming a service with no live member fails at
/// once with <see cref="ServiceUnavailableException"/>. Thread-safe; calls may run concurrently.
/// </summary>
public sealed class ServiceClient : IAsyncDisposable
{
    private readonly DiscoveryClient _discovery;
    private readonly bool _ownsDiscovery;
    private readonly ServiceClientOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, ServiceChannel> _channels = new(StringComparer.Ordinal);
    private TopicPublisher? _publisher;
    private TopicSubscriber? _subscriber;
    private int _nextTunnel;
    private int _disposed;

    /// <summary>Creates a client that follows <paramref name="discovery"/> (not owned: dispose it yourself, after this).</summary>
    /// <param name="discovery">The discovery client to follow.</param>
    /// <param name="options">Settings; null means defaults.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ServiceClient(DiscoveryClient discovery, ServiceClientOptions? options = null)
        : this(discovery, options ?? new ServiceClientOptions(), ownsDiscovery: false)
    {
    }

    private ServiceClient(DiscoveryClient discovery, ServiceClientOptions options, bool ownsDiscovery)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        options.Validate();
        _discovery = discovery;
        _options = options;
        _ownsDiscovery = ownsDiscovery;
        _discovery.Changed += OnChanged;
    }

    /// <summary>
    /// Starts a client that follows <see cref="ServiceClientOptions.Backend"/>, else every registry in
    /// <see cref="ServiceClientOptions.Registries"/>, with a discovery client of its own.
    /// </summary>
    /// <exception cref="ArgumentException">No registry or backend is given, or an option is out of range.</exception>
    public static ServiceClient Start(ServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.HasBackend)
        {
            throw new ArgumentException("at least one registry (or a backend) is required", nameof(options));
        }
        options.Validate();
        var discovery = DiscoveryClient.Start(options.DiscoveryBackend());
        return new ServiceClient(discovery, options, ownsDiscovery: true);
    }

    /// <summary>The discovery client followed.</summary>
    public DiscoveryClient Discovery => _discovery;

    /// <summary>Subscribers currently connected to this node's topic publisher (0 before the first <see cref="PublishAsync"/>).</summary>
    public int TopicSubscribers => Volatile.Read(ref _publisher)?.Socket.PipeCount ?? 0;

    /// <summary>Topic publishers this node's subscriber is connected to (0 before the first <see cref="SubscribeAsync"/>).</summary>
    public int TopicPublishers => Volatile.Read(ref _subscriber)?.Socket.PipeCount ?? 0;

    /// <summary>
    /// Connections to members refused at the TLS handshake so far (with <see cref="ServiceClientOptions.Tls"/>: a
    /// certificate not issued by the cluster CA, or not naming the service). A refused member is never used.
    /// </summary>
    public long RefusedConnections
    {
        get
        {
            lock (_gate)
            {
                return _channels.Values.Sum(c => c.RefusedConnections);
            }
        }
    }

    /// <summary>
    /// Broadcast copies not queued for a member because its connection's queue was full: a member too slow to keep up,
    /// or stalled. As PUB, a broadcast never waits for a member; a stalled one holds at most one queue (128 messages,
    /// at most 1 MiB of them) and misses the rest, while the others still get every broadcast.
    /// </summary>
    public long BroadcastsDropped
    {
        get
        {
            lock (_gate)
            {
                return _channels.Values.Sum(c => c.Broadcasts.Statistics.MessagesDropped);
            }
        }
    }

    /// <summary>Topic handler calls that threw (counted; the subscription goes on).</summary>
    public long TopicHandlerErrors => Volatile.Read(ref _subscriber)?.HandlerErrors ?? 0;

    /// <summary>
    /// The request addresses of <paramref name="service"/> currently dialed (the local zone's, or all when no local
    /// member is alive). The first call for a service starts following it, as its first request would.
    /// </summary>
    public IReadOnlyList<string> DialedAddresses(string service) => Channel(service).RequestAddresses;

    /// <summary>
    /// Sends <paramref name="body"/> to one live member of <paramref name="service"/> and returns its reply. A member whose
    /// connection drops is replaced by another at once (REQ resend); bounded by <see cref="ServiceClientOptions.RequestTimeout"/>.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The service has no live member.</exception>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/> naming the service when no reply came in time;
    /// <see cref="SpError.Internal"/> with the member's error text when its handler threw; <see cref="SpError.Closed"/> after dispose.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<byte[]> RequestAsync(string service, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ServiceChannel channel = await ChannelAsync(service, cancellationToken).ConfigureAwait(false);
        using ReqContext context = channel.Requests.OpenContext();
        context.SendTimeout = _options.RequestTimeout;
        context.ReceiveTimeout = _options.RequestTimeout;
        // As the member that gets the request is chosen: a view that changes while the reply is on its way must not
        // change how the reply is read.
        bool framed = channel.Framed;
        try
        {
            await context.SendAsync(body, cancellationToken).ConfigureAwait(false);
            using Message reply = await context.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            if (!framed)
            {
                return reply.ToArray();
            }
            (byte[]? result, string? error) = ServiceReply.Decode(reply.Body);
            return result ?? throw new SpNetException(SpError.Internal, $"service '{service}': the member failed: {error}");
        }
        catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
        {
            throw new SpNetException(SpError.TimedOut, $"service '{service}': no reply within {_options.RequestTimeout.TotalSeconds:0.###} s ({channel.Members.Count} members listed)", ex);
        }
    }

    /// <summary>
    /// Sends <paramref name="body"/> to every live member of <paramref name="service"/> (all zones) over the standing
    /// connections and returns without waiting for anyone: fire-and-forget, as PUB. On a service's first use it waits
    /// up to <see cref="ServiceClientOptions.ConnectTimeout"/> for the listed members to be connected.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The service has no live member.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task BroadcastAsync(string service, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ServiceChannel channel = await ChannelAsync(service, cancellationToken).ConfigureAwait(false);
        int listed = ServiceChannel.AddressesOf(channel.Members, ServiceMeta.Broadcast).Count();
        if (listed == 0)
        {
            throw new ServiceUnavailableException(service);
        }
        await PipeWait.ForAsync(channel.Broadcasts, listed, _options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        await channel.Broadcasts.SendAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="body"/> to every live member of <paramref name="service"/> and collects the replies that come
    /// within <paramref name="deadline"/> (SURVEYOR semantics: members that do not answer in time are simply absent).
    /// Returns early once every connected member has answered.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The service has no live member.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<IReadOnlyList<GatherReply>> GatherAsync(string service, ReadOnlyMemory<byte> body, TimeSpan deadline, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(deadline, TimeSpan.Zero);
        ServiceChannel channel = await ChannelAsync(service, cancellationToken).ConfigureAwait(false);
        int listed = ServiceChannel.AddressesOf(channel.Members, ServiceMeta.Gather).Count();
        if (listed == 0)
        {
            throw new ServiceUnavailableException(service);
        }
        long started = Environment.TickCount64;
        await PipeWait.ForAsync(channel.Gathers, listed, TimeSpan.FromTicks(Math.Min(deadline.Ticks, _options.ConnectTimeout.Ticks)), cancellationToken).ConfigureAwait(false);
        TimeSpan left = deadline - TimeSpan.FromMilliseconds(Environment.TickCount64 - started);
        var replies = new List<GatherReply>();
        if (left <= TimeSpan.Zero)
        {
            return replies;
        }
        int expected = channel.Gathers.PipeCount;
        using SurveyorContext context = channel.Gathers.OpenContext();
        context.SurveyTime = left;
        await context.SendAsync(body, cancellationToken).ConfigureAwait(false);
        while (replies.Count < expected)
        {
            try
            {
                using Message reply = await context.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                (string? address, ReadOnlyMemory<byte> framed) = ServiceReply.SplitMember(reply.BodyMemory);
                (byte[]? result, string? error) = address is null ? (null, "malformed gather reply") : ServiceReply.Decode(framed.Span);
                replies.Add(new GatherReply(channel.MemberByAddress(address ?? "?"), result, error));
            }
            catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
            {
                break; // the deadline passed
            }
        }
        return replies;
    }

    /// <summary>
    /// Opens a tunnel to one live member of <paramref name="service"/> (round robin, zone-aware) on a connection of its
    /// own. Completes when the member has accepted it; bounded by <see cref="ServiceClientOptions.RequestTimeout"/>.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The service has no live member that accepts tunnels.</exception>
    /// <exception cref="SpNetException">The member could not be reached or did not accept in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<Tunnel> OpenTunnelAsync(string service, CancellationToken cancellationToken = default)
    {
        ServiceChannel channel = await ChannelAsync(service, cancellationToken).ConfigureAwait(false);
        string[] addresses = [.. ServiceChannel.AddressesOf(channel.Preferred(channel.Members), ServiceMeta.Tunnel)];
        if (addresses.Length == 0)
        {
            throw new ServiceUnavailableException(service);
        }
        string address = addresses[(int)((uint)Interlocked.Increment(ref _nextTunnel) % (uint)addresses.Length)];
        return await ClientTunnelLink.OpenAsync(service, address, ClusterTls.For(_options.Tls, service), _options.TunnelWindow, _options.TunnelMaxWindow,
            _options.TunnelSendTimeout, _options.RequestTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes <paramref name="body"/> on <paramref name="topic"/> to every subscriber of every node. The first call
    /// starts this node's publisher and lists it with the registries; subscribers connect within about a heartbeat, and
    /// what is published before they are connected does not reach them (fire-and-forget, as PUB).
    /// </summary>
    /// <exception cref="ArgumentException">The topic is empty or contains a zero character.</exception>
    /// <exception cref="InvalidOperationException">Neither registries nor a backend are set in the options (the publisher is listed there).</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        byte[] prefix = TopicFormat.Prefix(topic);
        return Publisher().PublishAsync(prefix, body.Span, cancellationToken);
    }

    /// <summary>
    /// Starts this node's topic publisher (as the first <see cref="PublishAsync"/> would) and waits until at least
    /// <paramref name="count"/> subscribers are connected to it; false when <paramref name="timeout"/> passed first.
    /// Subscribers dial a new publisher about one registry heartbeat after it is listed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Neither registries nor a backend are set in the options.</exception>
    public Task<bool> WaitForTopicSubscribersAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        PipeWait.ForAsync(Publisher().Socket, count, timeout, cancellationToken);

    /// <summary>
    /// Calls <paramref name="handler"/> with the body of every message published on <paramref name="topic"/> by any node,
    /// in arrival order, until the returned subscription is disposed. Publishers are dialed as they join and dropped as they leave.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is empty or contains a zero character.</exception>
    public Task<IAsyncDisposable> SubscribeAsync(string topic, Func<byte[], CancellationToken, ValueTask> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Subscriber().Subscribe(topic, handler));
    }

    /// <summary>Stops following discovery and closes every connection; pending calls fail with <see cref="SpError.Closed"/>. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _discovery.Changed -= OnChanged;
        List<IAsyncDisposable> owned;
        lock (_gate)
        {
            owned = [.. _channels.Values];
            _channels.Clear();
            if (_publisher is not null)
            {
                owned.Add(_publisher);
            }
            if (_subscriber is not null)
            {
                owned.Add(_subscriber);
            }
        }
        foreach (IAsyncDisposable item in owned)
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsDiscovery)
        {
            await _discovery.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ServiceChannel Channel(string service)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_channels.TryGetValue(service, out ServiceChannel? channel))
            {
                channel = new ServiceChannel(service, _options);
                channel.Refresh(_discovery.Current);
                _channels.Add(service, channel);
            }
            return channel;
        }
    }

    /// <summary>The service's channel (made on first use) once a first snapshot is in; fails at once when the service has no live member.</summary>
    private async ValueTask<ServiceChannel> ChannelAsync(string service, CancellationToken cancellationToken)
    {
        if (_discovery.SnapshotsReceived == 0)
        {
            await WaitForFirstSnapshotAsync(cancellationToken).ConfigureAwait(false);
        }
        ServiceChannel channel = Channel(service);
        return channel.Members.Count > 0 ? channel : throw new ServiceUnavailableException(service);
    }

    private async Task WaitForFirstSnapshotAsync(CancellationToken cancellationToken)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(_options.RequestTimeout);
        try
        {
            await _discovery.WaitForAsync(_ => _discovery.SnapshotsReceived > 0, bound.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SpNetException(SpError.TimedOut, $"no discovery snapshot from {_discovery.Backend.Description} within {_options.RequestTimeout.TotalSeconds:0.###} s", ex);
        }
    }

    private TopicPublisher Publisher()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_publisher is null)
            {
                if (!_options.HasBackend)
                {
                    throw new InvalidOperationException("publishing needs ServiceClientOptions.Registries or Backend (the publisher is listed there)");
                }
                string address = _options.TopicAddress ?? (_options.Tls is null ? "tcp://127.0.0.1:0" : "tls+tcp://127.0.0.1:0");
                Volatile.Write(ref _publisher, new TopicPublisher(address, _options.Tls, _options.DiscoveryBackend()));
            }
            return _publisher;
        }
    }

    private TopicSubscriber Subscriber()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_subscriber is null)
            {
                var subscriber = new TopicSubscriber(_options.Tls, _options.ReconnectMaxTime);
                subscriber.Refresh(_discovery.Current);
                Volatile.Write(ref _subscriber, subscriber);
            }
            return _subscriber;
        }
    }

    private void OnChanged(object? sender, ServiceSnapshot snapshot)
    {
        List<ServiceChannel> channels;
        TopicSubscriber? subscriber;
        lock (_gate)
        {
            channels = [.. _channels.Values];
            subscriber = _subscriber;
        }
        foreach (ServiceChannel channel in channels)
        {
            channel.Refresh(snapshot);
        }
        subscriber?.Refresh(snapshot);
    }
}
