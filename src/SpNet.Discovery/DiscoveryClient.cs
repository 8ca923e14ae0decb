using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace SpNet.Discovery;

/// <summary>
/// Follows a registry: a SUB socket dialed to its publish address keeps <see cref="Current"/> up to date. A snapshot
/// replaces the current one when it comes from another registry run (epoch) or has a higher version.
/// <see cref="WatchAsync"/> and <see cref="Changed"/> report changes of the member set (and the first snapshot of a new registry run) only. Thread-safe.
/// </summary>
public sealed class DiscoveryClient : IAsyncDisposable
{
    private readonly SubSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<Channel<ServiceSnapshot>> _watchers = [];
    private readonly ResolvePolicy _policy;
    private readonly Task _loop;
    private ServiceSnapshot _current = ServiceSnapshot.Empty;
    private long _received;
    private long _malformed;
    private int _next;
    private int _disposed;

    private DiscoveryClient(string publishUrl, ResolvePolicy policy, TimeSpan reconnectMaxTime, TlsOptions? tls)
    {
        _socket.Tls = tls;
        PublishUrl = publishUrl;
        _policy = policy;
        _socket.Subscribe(ReadOnlySpan<byte>.Empty);
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _socket.Dial(publishUrl);
        CancellationToken stop = _stop.Token;
        _loop = Task.Run(() => ReceiveAsync(stop), CancellationToken.None);
    }

    /// <summary>Starts following the registry publishing on <paramref name="publishUrl"/>; returns at once.</summary>
    /// <param name="publishUrl">The registry's publish address.</param>
    /// <param name="policy">How <see cref="Resolve"/> picks a member.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means 500 ms.</param>
    /// <param name="tls">TLS for a <c>tls+tcp://</c> publish URL: the CA that issued the registry's certificate, and our
    /// certificate when the registry requires one; null for none.</param>
    /// <exception cref="SpNetException">The URL is invalid.</exception>
    public static DiscoveryClient Start(string publishUrl, ResolvePolicy policy = ResolvePolicy.RoundRobin, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publishUrl);
        return new DiscoveryClient(publishUrl, policy, reconnectMaxTime ?? ServiceRegistration.DefaultReconnectMaxTime, tls);
    }

    /// <summary>The registry's publish address.</summary>
    public string PublishUrl { get; }

    /// <summary>The latest accepted snapshot; <see cref="ServiceSnapshot.Empty"/> until the first arrives.</summary>
    public ServiceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Snapshot messages received (including repeats).</summary>
    public long SnapshotsReceived => Volatile.Read(ref _received);

    /// <summary>Messages on the publish socket that were not valid snapshots (ignored).</summary>
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
        await SocketLoop.StopAsync(_stop, _socket, _loop).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var watcher in _watchers)
            {
                watcher.Writer.TryComplete();
            }
            _watchers.Clear();
        }
        _stop.Dispose();
    }

    private async Task ReceiveAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            ServiceSnapshot? snapshot;
            try
            {
                using Message message = await _socket.ReceiveAsync(stop).ConfigureAwait(false);
                snapshot = DiscoveryFormat.DecodeSnapshot(message.Body);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
                continue;
            }
            if (snapshot is null)
            {
                Interlocked.Increment(ref _malformed);
                continue;
            }
            Interlocked.Increment(ref _received);
            Accept(snapshot);
        }
    }

    private void Accept(ServiceSnapshot snapshot)
    {
        bool changed;
        lock (_gate)
        {
            ServiceSnapshot current = _current;
            if (snapshot.Epoch == current.Epoch && snapshot.Version <= current.Version)
            {
                return;
            }
            // A new registry run counts as a change even with the same members, so nobody waits on a stale epoch.
            changed = current.Epoch != snapshot.Epoch || !snapshot.SameMembersAs(current);
            Volatile.Write(ref _current, snapshot);
            if (changed)
            {
                foreach (var watcher in _watchers)
                {
                    watcher.Writer.TryWrite(snapshot);
                }
            }
        }
        if (changed)
        {
            Changed?.Invoke(this, snapshot);
        }
    }
}
