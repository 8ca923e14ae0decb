namespace SpNet.Discovery;

/// <summary>
/// Addresses a service by name: one REQ socket kept dialed to every live member of <see cref="Service"/> (members
/// answer with a REP socket), with dialers added and removed as <see cref="DiscoveryClient"/> snapshots change.
/// <see cref="RequestAsync"/> goes to one live member (REQ load-balances over ready pipes) and survives members
/// leaving: a request whose member's connection drops is resent at once to another member, and when no member is
/// connected it waits for one. Optional locality: see <see cref="ServiceClientOptions.Zone"/>. Thread-safe;
/// requests may run concurrently (each uses its own REQ context).
/// </summary>
public sealed class ServiceClient : IAsyncDisposable
{
    private readonly DiscoveryClient _discovery;
    private readonly ServiceClientOptions _options;
    private readonly ReqSocket _socket = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, Dialer> _dialers = new(StringComparer.Ordinal);
    private int _disposed;

    /// <summary>Creates the client and dials the service's current members at once.</summary>
    /// <param name="discovery">The discovery client to follow (not owned: dispose it yourself, after this).</param>
    /// <param name="service">The service name.</param>
    /// <param name="options">Settings; null means defaults.</param>
    public ServiceClient(DiscoveryClient discovery, string service, ServiceClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        _discovery = discovery;
        _options = options ?? new ServiceClientOptions();
        Service = service;
        _socket.ResendTime = _options.ResendTime;
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = _options.ReconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _discovery.Changed += OnChanged;
        Refresh();
    }

    /// <summary>The service addressed.</summary>
    public string Service { get; }

    /// <summary>The member addresses currently dialed (the local zone's, or all when no local member is alive).</summary>
    public IReadOnlyList<string> DialedAddresses
    {
        get
        {
            lock (_gate)
            {
                return [.. _dialers.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="request"/> to one live member and returns its reply. Waits for a member when none is
    /// connected; bounded by <see cref="ServiceClientOptions.RequestTimeout"/>.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/> when no reply came in time; <see cref="SpError.Closed"/> after dispose.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<byte[]> RequestAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        using SocketContext context = _socket.OpenContext();
        context.SendTimeout = _options.RequestTimeout;
        context.ReceiveTimeout = _options.RequestTimeout;
        await context.SendAsync(request, cancellationToken).ConfigureAwait(false);
        using Message reply = await context.ReceiveAsync(cancellationToken).ConfigureAwait(false);
        return reply.ToArray();
    }

    /// <summary>
    /// Sends <paramref name="request"/> to every live member of the service (all zones), each over its own
    /// short-lived REQ socket, and gathers one outcome per member. Never throws for a single member's failure.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<IReadOnlyList<BroadcastReply>> BroadcastAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ServiceMember> members = _discovery.Current.MembersOf(Service);
        BroadcastReply[] replies = await Task.WhenAll(members.Select(m => AskOneAsync(m, request, cancellationToken))).ConfigureAwait(false);
        return replies;
    }

    /// <summary>Stops following discovery and closes the REQ socket; pending requests fail with <see cref="SpError.Closed"/>. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _discovery.Changed -= OnChanged;
        lock (_gate)
        {
            _dialers.Clear();
        }
        await _socket.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<BroadcastReply> AskOneAsync(ServiceMember member, ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var socket = new ReqSocket { Linger = TimeSpan.Zero, SendTimeout = _options.RequestTimeout, ReceiveTimeout = _options.RequestTimeout };
        await using (socket.ConfigureAwait(false))
        {
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(_options.RequestTimeout);
                await socket.DialAsync(member.Address, deadline.Token).ConfigureAwait(false);
                await socket.SendAsync(request, cancellationToken).ConfigureAwait(false);
                using Message reply = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                return new BroadcastReply(member, reply.ToArray(), null);
            }
            catch (SpNetException ex)
            {
                return new BroadcastReply(member, null, ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                return new BroadcastReply(member, null, new SpNetException(SpError.TimedOut, $"{member.Address}: no connection within the request timeout", ex));
            }
        }
    }

    private void OnChanged(object? sender, ServiceSnapshot snapshot) => Refresh();

    private void Refresh()
    {
        List<Dialer> removed = [];
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }
            IReadOnlyList<ServiceMember> members = _discovery.Current.MembersOf(Service);
            if (_options.Zone is { } zone && members.Any(m => m.Zone == zone))
            {
                members = [.. members.Where(m => m.Zone == zone)];
            }
            var wanted = members.Select(m => m.Address).ToHashSet(StringComparer.Ordinal);
            foreach (var (address, dialer) in _dialers.Where(d => !wanted.Contains(d.Key)).ToList())
            {
                _dialers.Remove(address);
                removed.Add(dialer);
            }
            foreach (string address in wanted.Where(a => !_dialers.ContainsKey(a)))
            {
                try
                {
                    _dialers[address] = _socket.Dial(address);
                }
                catch (SpNetException)
                {
                    // An address this side cannot dial (bad URL, unknown transport): skip that member.
                }
            }
        }
        foreach (Dialer dialer in removed)
        {
            _ = dialer.DisposeAsync().AsTask();
        }
    }
}
