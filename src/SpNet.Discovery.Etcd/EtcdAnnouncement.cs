using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;

namespace SpNet.Discovery.Etcd;

/// <summary>
/// One member's key in etcd: grants a lease, puts the key bound to it, and renews the lease every third of its TTL
/// over one keep-alive stream. A failed call is retried with backoff on the same lease while it lives; a lease that
/// ran out (etcd unreachable for longer than the TTL) is replaced and the key put again. Disposing revokes the lease,
/// which deletes the key at once.
/// </summary>
internal sealed class EtcdAnnouncement : IDiscoveryAnnouncement
{
    private readonly EtcdBackend _backend;
    private readonly ServiceMember _member;
    private readonly ByteString _key;
    private readonly ByteString _value;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _lease;
    private long _renewals;
    private int _connected;
    private int _disposed;

    public EtcdAnnouncement(EtcdBackend backend, ServiceMember member)
    {
        _backend = backend;
        _member = member;
        _key = ByteString.CopyFromUtf8(EtcdKeys.Key(backend.Options.Prefix, member));
        _value = ByteString.CopyFrom(EtcdKeys.Value(member));
        _loop = Task.Run(RunAsync);
    }

    public bool IsConnected => Volatile.Read(ref _connected) != 0;

    public long Renewals => Interlocked.Read(ref _renewals);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        long lease = Interlocked.Read(ref _lease);
        if (lease != 0)
        {
            try
            {
                await _backend.Connection.LeaseClient.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, deadline: _backend.Deadline()).ResponseAsync.ConfigureAwait(false);
            }
            catch (Exception ex) when (EtcdBackend.IsTransient(ex, CancellationToken.None) || ex is ObjectDisposedException)
            {
                // etcd unreachable (or the backend already closed): the key goes when the lease runs out instead.
            }
        }
        Volatile.Write(ref _connected, 0);
        _stop.Dispose();
    }

    private Task RunAsync() => _backend.RetryUntilStoppedAsync(
        async (backoff, stopping) =>
        {
            if (Interlocked.Read(ref _lease) == 0)
            {
                await ListAsync(stopping).ConfigureAwait(false);
                backoff.Reset();
            }
            await KeepAliveAsync(backoff, stopping).ConfigureAwait(false);
        },
        ex =>
        {
            Volatile.Write(ref _connected, 0);
            if (_backend.Options.Logger is { } logger)
            {
                EtcdLog.AnnounceFailed(logger, _backend.Endpoints, _member, EtcdBackend.Reason(ex));
            }
        },
        _stop.Token);

    private async Task ListAsync(CancellationToken stopping)
    {
        var lease = _backend.Connection.LeaseClient;
        LeaseGrantResponse grant = await lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = _backend.LeaseTtlSeconds },
            deadline: _backend.Deadline(), cancellationToken: stopping).ResponseAsync.ConfigureAwait(false);
        // The lease is ours to renew only once the key is bound to it: after a failed put the next attempt grants a
        // new one (the unused lease runs out on its own), so a lease is never kept alive without its key.
        await _backend.Connection.KVClient.PutAsync(new PutRequest { Key = _key, Value = _value, Lease = grant.ID },
            deadline: _backend.Deadline(), cancellationToken: stopping).ResponseAsync.ConfigureAwait(false);
        Interlocked.Exchange(ref _lease, grant.ID);
        Interlocked.Increment(ref _renewals);
        Volatile.Write(ref _connected, 1);
        if (_backend.Options.Logger is { } logger)
        {
            EtcdLog.Announced(logger, _backend.Endpoints, _member, grant.ID);
        }
    }

    /// <summary>Renews the lease until stopped (returns) or it ran out (clears it and returns); throws when etcd does not answer.</summary>
    private async Task KeepAliveAsync(Backoff backoff, CancellationToken stopping)
    {
        long lease = Interlocked.Read(ref _lease);
        TimeSpan every = TimeSpan.FromSeconds(_backend.LeaseTtlSeconds / 3.0);
        using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call = _backend.Connection.LeaseClient.LeaseKeepAlive(cancellationToken: stopping);
        while (true)
        {
            using (var answer = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                answer.CancelAfter(_backend.Options.RequestTimeout);
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, answer.Token).ConfigureAwait(false);
                if (!await call.ResponseStream.MoveNext(answer.Token).ConfigureAwait(false))
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "the keep-alive stream ended"));
                }
            }
            if (call.ResponseStream.Current.TTL <= 0)
            {
                // The lease ran out while etcd was unreachable: its key is gone; list the member again.
                Interlocked.Exchange(ref _lease, 0);
                Volatile.Write(ref _connected, 0);
                return;
            }
            Interlocked.Increment(ref _renewals);
            Volatile.Write(ref _connected, 1);
            backoff.Reset();
            await Task.Delay(every, stopping).ConfigureAwait(false);
        }
    }
}
