using dotnet_etcd;
using dotnet_etcd.interfaces;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;

namespace SpNet.Discovery.Etcd;

/// <summary>
/// etcd as a discovery backend, for fleets that already run it. A member is the key
/// <c>/spnet/services/&lt;service&gt;/&lt;member-id&gt;</c> (JSON value: address and meta) bound to a lease the
/// member keeps alive, so a member whose process dies leaves when its lease runs out; a client reads the prefix and
/// then watches it, so a change reaches it in one etcd round trip. <see cref="ServiceRegistration"/>,
/// <see cref="DiscoveryClient"/>, <see cref="ServiceClient"/> and <see cref="ServiceHost"/> work over it unchanged.
/// While etcd is unreachable, members keep retrying and clients keep their last view. Owns one gRPC channel to the
/// endpoints: dispose it after the registrations and clients using it. Thread-safe.
/// </summary>
public sealed class EtcdBackend : IDiscoveryBackend, IDisposable
{
    private readonly EtcdClient _client;
    private int _disposed;

    /// <summary>Creates the backend; connects lazily (etcd need not be up yet).</summary>
    /// <exception cref="ArgumentException">No endpoint, a bad prefix, or a time out of range.</exception>
    public EtcdBackend(EtcdBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Endpoints = string.Join(",", options.Endpoints.Select(e => e.Trim()));
        LeaseTtlSeconds = Math.Max(2, (long)Math.Ceiling(options.LeaseTtl.TotalSeconds));
        _client = options.Tls is { } tls ? new EtcdClient(Endpoints, ssl => Configure(ssl, tls)) : new EtcdClient(Endpoints);
        if (options.Username is not null)
        {
            _client.SetCredentials(options.Username, options.Password!);
        }
        Connection = _client.GetConnection();
    }

    /// <summary>Creates the backend for <paramref name="endpoints"/> with the other settings at their defaults.</summary>
    /// <exception cref="ArgumentException">No endpoint.</exception>
    public EtcdBackend(params string[] endpoints)
        : this(new EtcdBackendOptions { Endpoints = endpoints })
    {
    }

    /// <summary>The settings.</summary>
    public EtcdBackendOptions Options { get; }

    /// <inheritdoc />
    public string Description => $"etcd({Endpoints})";

    internal string Endpoints { get; }

    internal long LeaseTtlSeconds { get; }

    internal IConnection Connection { get; }

    /// <summary>Deadline of one call starting now.</summary>
    internal DateTime Deadline() => DateTime.UtcNow + Options.RequestTimeout;

    /// <inheritdoc />
    public IDiscoveryAnnouncement Announce(ServiceMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new EtcdAnnouncement(this, member);
    }

    /// <inheritdoc />
    public IAsyncDisposable Watch(IDiscoveryObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new EtcdWatch(this, observer);
    }

    /// <summary>Closes the channel. Dispose the registrations and clients first (a registration revokes its lease as it goes).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _client.Dispose();
        }
    }

    private static void Configure(SslClientAuthenticationOptions ssl, TlsOptions tls)
    {
        if (tls.Certificate is { } certificate)
        {
            ssl.ClientCertificates = [certificate];
        }
        if (tls.CaCertificates is { Count: > 0 } ca)
        {
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(ca);
            ssl.CertificateChainPolicy = policy;
        }
        if (tls.Protocols != SslProtocols.None)
        {
            ssl.EnabledSslProtocols = tls.Protocols;
        }
    }

    /// <summary>A short reason for a failed call, for logs.</summary>
    internal static string Reason(Exception exception) => exception switch
    {
        RpcException rpc => $"{rpc.StatusCode}: {rpc.Status.Detail}",
        OperationCanceledException => "no answer within the deadline",
        _ => exception.Message,
    };

    /// <summary>
    /// True for how a call ends when we stopped it (canceled, or aborted mid-read) or closed the channel under it:
    /// the loop just ends.
    /// </summary>
    internal static bool IsStopped(Exception exception, CancellationToken stopping) =>
        exception is ObjectDisposedException
        || (stopping.IsCancellationRequested && exception is OperationCanceledException or RpcException or IOException or HttpRequestException);

    /// <summary>Waits <paramref name="delay"/> before a retry; false when <paramref name="stopping"/> ended the wait (then stop, not retry).</summary>
    internal static async Task<bool> PauseAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, stopping).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>True for the failures a retry may cure: etcd down, slow or unreachable.</summary>
    /// <summary>
    /// Runs <paramref name="attempt"/> until <paramref name="stopping"/> is canceled: after a transient failure (etcd
    /// unreachable, a stream cut) it calls <paramref name="lost"/>, waits the next backoff step and tries again; a stop
    /// ends it quietly. The announcement and the watch each keep one such loop.
    /// </summary>
    internal async Task RetryUntilStoppedAsync(Func<Backoff, CancellationToken, Task> attempt, Action<Exception> lost, CancellationToken stopping)
    {
        var backoff = new Backoff(Options.ReconnectMaxTime);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await attempt(backoff, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex, stopping))
            {
                lost(ex);
                if (!await PauseAsync(backoff.Next(), stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception ex) when (IsStopped(ex, stopping))
            {
                return;
            }
        }
    }

    internal static bool IsTransient(Exception exception, CancellationToken stopping) =>
        !stopping.IsCancellationRequested && exception is RpcException or OperationCanceledException or IOException or HttpRequestException;
}
