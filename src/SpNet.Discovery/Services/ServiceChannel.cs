namespace SpNet.Discovery;

/// <summary>
/// A client's standing connections to one service: a REQ socket dialed to the members' request addresses (the local
/// zone's while any is alive), a PUB socket dialed to every member's broadcast address and a SURVEYOR socket dialed to
/// every member's gather address. Dialers are added and removed as snapshots change, so no call dials.
/// </summary>
internal sealed class ServiceChannel : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly string? _zone;
    private readonly Dictionary<string, Dialer> _requestDialers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dialer> _broadcastDialers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dialer> _gatherDialers = new(StringComparer.Ordinal);
    private IReadOnlyList<ServiceMember> _members = [];
    private bool _disposed;

    public ServiceChannel(string service, ServiceClientOptions options)
    {
        Service = service;
        _zone = options.Zone;
        TlsOptions? tls = ClusterTls.For(options.Tls, service);
        Requests.ResendTime = options.ResendTime;
        foreach (Socket socket in (Socket[])[Requests, Broadcasts, Gathers])
        {
            socket.Tls = tls;
            socket.Logger = options.Logger;
            socket.Linger = TimeSpan.Zero;
            socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
            socket.ReconnectMaxTime = options.ReconnectMaxTime;
        }
    }

    public string Service { get; }

    public ReqSocket Requests { get; } = new();

    public PubSocket Broadcasts { get; } = new();

    public SurveyorSocket Gathers { get; } = new();

    /// <summary>Handshakes refused on the three sockets (a member's certificate failed the cluster check).</summary>
    public long RefusedConnections =>
        Requests.Statistics.HandshakeFailures + Broadcasts.Statistics.HandshakeFailures + Gathers.Statistics.HandshakeFailures;

    /// <summary>The live members as of the last snapshot.</summary>
    public IReadOnlyList<ServiceMember> Members => Volatile.Read(ref _members);

    /// <summary>True when the members are service hosts whose replies carry a status byte (as of the last view that listed any).</summary>
    public bool Framed { get; private set; }

    public IReadOnlyList<string> RequestAddresses
    {
        get
        {
            lock (_gate)
            {
                return [.. _requestDialers.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The members preferred by locality: the local zone's while any is alive, else all.</summary>
    public IReadOnlyList<ServiceMember> Preferred(IReadOnlyList<ServiceMember> members) =>
        _zone is { } zone && members.Any(m => m.Zone == zone) ? [.. members.Where(m => m.Zone == zone)] : members;

    /// <summary>The listed member with request address <paramref name="address"/> (one that just left is rebuilt bare).</summary>
    public ServiceMember MemberByAddress(string address) =>
        Members.FirstOrDefault(m => m.Address == address) ?? new ServiceMember(Service, address);

    public void Refresh(ServiceSnapshot snapshot)
    {
        List<Dialer> removed = [];
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            IReadOnlyList<ServiceMember> members = snapshot.MembersOf(Service);
            Volatile.Write(ref _members, members);
            if (members.Count > 0)
            {
                // Kept through a view with no member (a registry that just restarted lists nobody until its first
                // round): replies to requests sent before it still carry the status byte.
                Framed = members.Any(m => m.Meta.ContainsKey(ServiceMeta.Status));
            }
            Sync(Requests, _requestDialers, Preferred(members).Select(m => m.Address), removed);
            Sync(Broadcasts, _broadcastDialers, AddressesOf(members, ServiceMeta.Broadcast), removed);
            Sync(Gathers, _gatherDialers, AddressesOf(members, ServiceMeta.Gather), removed);
        }
        foreach (Dialer dialer in removed)
        {
            _ = dialer.DisposeAsync().AsTask();
        }
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            _requestDialers.Clear();
            _broadcastDialers.Clear();
            _gatherDialers.Clear();
        }
        await Requests.DisposeAsync().ConfigureAwait(false);
        await Broadcasts.DisposeAsync().ConfigureAwait(false);
        await Gathers.DisposeAsync().ConfigureAwait(false);
    }

    internal static IEnumerable<string> AddressesOf(IEnumerable<ServiceMember> members, string key) =>
        members.Select(m => m.Meta.GetValueOrDefault(key)).OfType<string>();

    /// <summary>Dials the wanted addresses not yet dialed and takes away the dialers of addresses no longer wanted.</summary>
    internal static void Sync(Socket socket, Dictionary<string, Dialer> dialers, IEnumerable<string> addresses, List<Dialer> removed)
    {
        var wanted = addresses.ToHashSet(StringComparer.Ordinal);
        foreach (var (address, dialer) in dialers.Where(d => !wanted.Contains(d.Key)).ToList())
        {
            dialers.Remove(address);
            removed.Add(dialer);
        }
        foreach (string address in wanted.Where(a => !dialers.ContainsKey(a)))
        {
            try
            {
                dialers[address] = socket.Dial(address);
            }
            catch (SpNetException)
            {
                // An address this side cannot dial (bad URL, unknown transport): skip that member.
            }
        }
    }
}
