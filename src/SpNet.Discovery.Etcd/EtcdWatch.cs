using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Mvccpb;

namespace SpNet.Discovery.Etcd;

/// <summary>
/// A client's view of the prefix: reads every key under it, reports that as a snapshot (epoch: the cluster id;
/// version: the revision read), then watches from the next revision and reports a snapshot after each batch of
/// events. The watch requires a leader (a node cut off from its cluster ends it) and asks for a progress report every
/// half <see cref="EtcdBackendOptions.SilenceTimeout"/>; a failed call, an ended or compacted watch, or silence
/// reports the source lost (the client keeps the last view) and starts over with backoff.
/// </summary>
internal sealed class EtcdWatch : IAsyncDisposable
{
    // etcd's clientv3.WithRequireLeader: the server ends the watch when its node has no leader.
    private static readonly Metadata s_requireLeader = new() { { "hasleader", "true" } };

    private readonly EtcdBackend _backend;
    private readonly IDiscoveryObserver _observer;
    private readonly string _source;
    private readonly ByteString _prefix;
    private readonly ByteString _rangeEnd;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _disposed;

    public EtcdWatch(EtcdBackend backend, IDiscoveryObserver observer)
    {
        _backend = backend;
        _observer = observer;
        _source = backend.Description;
        _prefix = ByteString.CopyFromUtf8(backend.Options.Prefix);
        _rangeEnd = ByteString.CopyFrom(EtcdKeys.RangeEnd(backend.Options.Prefix));
        _loop = Task.Run(RunAsync);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private Task RunAsync() => _backend.RetryUntilStoppedAsync(
        async (backoff, stopping) =>
        {
            await FollowAsync(backoff, stopping).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.Unavailable, "the watch ended"));
        },
        ex =>
        {
            _observer.OnSourceLost(_source);
            if (_backend.Options.Logger is { } logger)
            {
                EtcdLog.WatchLost(logger, _backend.Endpoints, _backend.Options.Prefix, EtcdBackend.Reason(ex));
            }
        },
        _stop.Token);

    /// <summary>Reads the prefix, then follows its changes; returns when the watch ends or must start over.</summary>
    private async Task FollowAsync(Backoff backoff, CancellationToken stopping)
    {
        RangeResponse range = await _backend.Connection.KVClient.RangeAsync(new RangeRequest { Key = _prefix, RangeEnd = _rangeEnd },
            deadline: _backend.Deadline(), cancellationToken: stopping).ResponseAsync.ConfigureAwait(false);
        long epoch = unchecked((long)range.Header.ClusterId);
        var members = new Dictionary<string, ServiceMember>(StringComparer.Ordinal);
        foreach (KeyValue kv in range.Kvs)
        {
            Apply(members, kv, delete: false);
        }
        long revision = range.Header.Revision;
        _observer.OnSnapshot(_source, new ServiceSnapshot(epoch, revision, members.Values));
        if (_backend.Options.Logger is { } logger)
        {
            EtcdLog.Watching(logger, _backend.Endpoints, _backend.Options.Prefix, revision, members.Count);
        }
        backoff.Reset();

        using var ending = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call = _backend.Connection.WatchClient.Watch(s_requireLeader, cancellationToken: ending.Token);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = _prefix, RangeEnd = _rangeEnd, StartRevision = revision + 1 },
        }, ending.Token).ConfigureAwait(false);
        Task progress = RequestProgressAsync(call.RequestStream, ending.Token);
        try
        {
            while (true)
            {
                using (var silence = CancellationTokenSource.CreateLinkedTokenSource(ending.Token))
                {
                    silence.CancelAfter(_backend.Options.SilenceTimeout);
                    if (!await call.ResponseStream.MoveNext(silence.Token).ConfigureAwait(false))
                    {
                        return;
                    }
                }
                WatchResponse response = call.ResponseStream.Current;
                if (response.Canceled || response.CompactRevision > 0)
                {
                    return; // compacted past our revision, or refused: read the prefix again
                }
                if (response.Events.Count == 0)
                {
                    continue; // created, or a progress report
                }
                foreach (Event change in response.Events)
                {
                    Apply(members, change.Kv, delete: change.Type == Event.Types.EventType.Delete);
                }
                _observer.OnSnapshot(_source, new ServiceSnapshot(epoch, response.Header.Revision, members.Values));
            }
        }
        finally
        {
            await ending.CancelAsync().ConfigureAwait(false);
            try
            {
                await progress.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException or InvalidOperationException)
            {
                // The call is being torn down; the reader reports why.
            }
        }
    }

    private async Task RequestProgressAsync(IClientStreamWriter<WatchRequest> requests, CancellationToken ending)
    {
        TimeSpan every = _backend.Options.SilenceTimeout / 2;
        while (!ending.IsCancellationRequested)
        {
            await Task.Delay(every, ending).ConfigureAwait(false);
            await requests.WriteAsync(new WatchRequest { ProgressRequest = new WatchProgressRequest() }, ending).ConfigureAwait(false);
        }
    }

    private void Apply(Dictionary<string, ServiceMember> members, KeyValue kv, bool delete)
    {
        string key = kv.Key.ToStringUtf8();
        if (delete)
        {
            members.Remove(key);
            return;
        }
        ServiceMember? member = EtcdKeys.Decode(_backend.Options.Prefix, key, kv.Value.Span);
        if (member is null)
        {
            members.Remove(key);
            _observer.OnMalformed(_source);
            return;
        }
        members[key] = member;
    }
}
