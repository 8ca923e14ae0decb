using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SpNet.Discovery;

/// <summary>
/// Follows a discovery backend and keeps <see cref="Current"/> up to date: by default the SP registries (a SUB socket
/// dialed to each registry's publish address), or any <see cref="IDiscoveryBackend"/> such as etcd. With several
/// registries their views are merged: a member is listed while any live registry lists it, so losing a registry
/// loses no member. Per registry, a snapshot replaces the previous one when it comes from another registry run
/// (epoch) or has a higher version. <see cref="WatchAsync"/> and <see cref="Changed"/> report changes of the member
/// set (and the first snapshot of a new registry run) only. Thread-safe.
/// </summary>
public sealed class DiscoveryClient : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<Channel<ServiceSnapshot>> _watchers = [];
    private readonly MergedView _view = new();
    private readonly ResolvePolicy _policy;
    private readonly IAsyncDisposable _watch;
    private ServiceSnapshot _current = ServiceSnapshot.Empty;
    private long _received;
    private long _malformed;
    private int _next;
    private int _disposed;

    private DiscoveryClient(IDiscoveryBackend backend, ResolvePolicy policy)
    {
        Backend = backend;
        _policy = policy;
        _watch = backend.Watch(new Observer(this));
    }

    /// <summary>Starts following the registry publishing on <paramref name="publishUrl"/>; returns at once.</summary>
    /// <param name="publishUrl">The registry's publish address.</param>
    /// <param name="policy">How <see cref="Resolve"/> picks a member.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means 500 ms.</param>
    /// <param name="tls">TLS for <c>tls+tcp://</c> registries: the CA that issued their certificates, and our certificate when they require one; null for none.</param>
    /// <param name="logger">Receives the sockets' events (failed dials to a registry, lost connections); null logs nothing.</param>
    /// <exception cref="SpNetException">The URL is invalid.</exception>
    public static DiscoveryClient Start(string publishUrl, ResolvePolicy policy = ResolvePolicy.RoundRobin, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null, Microsoft.Extensions.Logging.ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publishUrl);
        return Start([RegistryEndpoint.Publish(publishUrl)], policy, reconnectMaxTime, tls, logger);
    }

    /// <summary>Starts following every registry in <paramref name="registries"/> (their publish addresses) and merging their views; returns at once.</summary>
    /// <param name="registries">The registries; each needs a publish address.</param>
    /// <param name="policy">How <see cref="Resolve"/> picks a member.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means 500 ms.</param>
    /// <param name="tls">TLS for <c>tls+tcp://</c> registries: the CA that issued their certificates, and our certificate when they require one; null for none.</param>
    /// <param name="logger">Receives the sockets' events (failed dials to a registry, lost connections); null logs nothing.</param>
    /// <exception cref="ArgumentException">No registry has a publish address.</exception>
    /// <exception cref="SpNetException">A URL is invalid.</exception>
    public static DiscoveryClient Start(IEnumerable<RegistryEndpoint> registries, ResolvePolicy policy = ResolvePolicy.RoundRobin, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null, Microsoft.Extensions.Logging.ILogger? logger = null) =>
        Start(new RegistryBackend(registries, reconnectMaxTime, tls: tls, logger: logger), policy);

    /// <summary>Starts following <paramref name="backend"/>; returns at once.</summary>
    /// <param name="backend">Where members are listed (not owned: dispose it, when disposable, after this client).</param>
    /// <param name="policy">How <see cref="Resolve"/> picks a member.</param>
    /// <exception cref="ArgumentException">The backend has nothing to watch.</exception>
    /// <exception cref="SpNetException">An address is invalid.</exception>
    public static DiscoveryClient Start(IDiscoveryBackend backend, ResolvePolicy policy = ResolvePolicy.RoundRobin)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return new DiscoveryClient(backend, policy);
    }

    /// <summary>The backend followed.</summary>
    public IDiscoveryBackend Backend { get; }

    /// <summary>
    /// Each source's (registry's) latest snapshot by source name (its publish address), with whether it is lost
    /// (connection dropped or silent): the per-registry epochs and versions behind <see cref="Current"/>.
    /// </summary>
    public IReadOnlyDictionary<string, (ServiceSnapshot Snapshot, bool Lost)> Sources
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, (ServiceSnapshot, bool)>(_view.Sources, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>
    /// The merged member set; <see cref="ServiceSnapshot.Empty"/> until the first snapshot arrives. With one source it
    /// is that source's snapshot (its epoch and version); with several, its epoch is this client's start time and
    /// its version counts the merged view's changes.
    /// </summary>
    public ServiceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Snapshots received from all sources (including repeats).</summary>
    public long SnapshotsReceived => Volatile.Read(ref _received);

    /// <summary>Messages from the sources that were not valid snapshots (ignored).</summary>
    public long MalformedSnapshots => Volatile.Read(ref _malformed);

    /// <summary>Raised on the receive loop when the member set changes. Handlers must be quick and must not throw.</summary>
    public event EventHandler<ServiceSnapshot>? Changed;

    /// <summary>
    /// Yields the current snapshot (if one has arrived) and then each snapshot whose member set differs from the one
    /// before, until <paramref name="cancellationToken"/> is canceled or the client is disposed. Each enumeration has
    /// its own unbounded queue, so a slow reader sees every change.
    /// </summary>
    public async IAsyncEnumerable<ServiceSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateUnbounded<ServiceSnapshot>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                yield break;
            }
            if (_current.Epoch != 0)
            {
                channel.Writer.TryWrite(_current);
            }
            _watchers.Add(channel);
        }
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out ServiceSnapshot? snapshot))
                {
                    yield return snapshot;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watchers.Remove(channel);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds for <see cref="Current"/> and returns that snapshot.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public async Task<ServiceSnapshot> WaitForAsync(Func<ServiceSnapshot, bool> condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition(Current))
        {
            return Current;
        }
        await foreach (ServiceSnapshot snapshot in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (condition(snapshot))
            {
                return snapshot;
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        throw new ObjectDisposedException(nameof(DiscoveryClient));
    }

    /// <summary>Picks a live member of <paramref name="service"/> by the client's <see cref="ResolvePolicy"/>, or null when it has none.</summary>
    public ServiceMember? Resolve(string service)
    {
        IReadOnlyList<ServiceMember> members = Current.MembersOf(service);
        if (members.Count == 0)
        {
            return null;
        }
        int index = _policy == ResolvePolicy.Random
            ? System.Random.Shared.Next(members.Count)
            : (int)((uint)Interlocked.Increment(ref _next) % (uint)members.Count);
        return members[index];
    }

    /// <summary>Stops following and closes the socket; watchers end. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _watch.DisposeAsync().ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
            _watchers.Clear();
        }
    }

    private void Publish(ServiceSnapshot? changed)
    {
        // Called under _gate: watchers see changes in order.
        Volatile.Write(ref _current, _view.Current);
        if (changed is null)
        {
            return;
        }
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(changed);
        }
    }

    private void Raise(ServiceSnapshot? changed)
    {
        if (changed is not null)
        {
            Changed?.Invoke(this, changed);
        }
    }

    /// <summary>The backend's view of this client; separate so the observer methods stay off the public surface.</summary>
    private sealed class Observer(DiscoveryClient client) : IDiscoveryObserver
    {
        public void OnSnapshot(string source, ServiceSnapshot snapshot)
        {
            Interlocked.Increment(ref client._received);
            ServiceSnapshot? changed;
            lock (client._gate)
            {
                changed = client._view.Accept(source, snapshot);
                client.Publish(changed);
            }
            client.Raise(changed);
        }

        public void OnMalformed(string source) => Interlocked.Increment(ref client._malformed);

        public void OnSourceLost(string source)
        {
            ServiceSnapshot? changed;
            lock (client._gate)
            {
                changed = client._view.Lose(source);
                client.Publish(changed);
            }
            client.Raise(changed);
        }
    }
}
