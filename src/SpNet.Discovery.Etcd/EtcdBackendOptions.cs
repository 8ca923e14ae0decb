using Microsoft.Extensions.Logging;

namespace SpNet.Discovery.Etcd;

/// <summary>Settings of an <see cref="EtcdBackend"/>. Checked by its constructor.</summary>
public sealed class EtcdBackendOptions
{
    /// <summary>Default key prefix: <c>/spnet/services/</c>.</summary>
    public const string DefaultPrefix = "/spnet/services/";

    /// <summary>Default lease time to live: 10 s.</summary>
    public static readonly TimeSpan DefaultLeaseTtl = TimeSpan.FromSeconds(10);

    /// <summary>Default deadline of one etcd call: 5 s.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Default upper bound of the retry wait after a failed call: 2 s.</summary>
    public static readonly TimeSpan DefaultReconnectMaxTime = TimeSpan.FromSeconds(2);

    /// <summary>Default time a watch may stay without any answer from etcd before it is treated as lost: 5 s.</summary>
    public static readonly TimeSpan DefaultSilenceTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The etcd client URLs, e.g. <c>http://10.0.0.1:2379</c>; give every node of the cluster, so calls go to the nodes
    /// that are up. At least one is required.
    /// </summary>
    public IReadOnlyList<string> Endpoints { get; set; } = [];

    /// <summary>The key prefix; a member is the key <c>&lt;prefix&gt;&lt;service&gt;/&lt;member-id&gt;</c>. Must end with <c>/</c>.</summary>
    public string Prefix { get; set; } = DefaultPrefix;

    /// <summary>
    /// Time to live of a member's lease, in whole seconds (rounded up; at least 2 s). A member whose process dies is
    /// removed by etcd when its lease runs out; a member disposed normally is removed at once (its lease is revoked).
    /// The lease is renewed every third of it.
    /// </summary>
    public TimeSpan LeaseTtl { get; set; } = DefaultLeaseTtl;

    /// <summary>Deadline of every etcd call (grant, put, range, revoke) and of each lease renewal's answer.</summary>
    public TimeSpan RequestTimeout { get; set; } = DefaultRequestTimeout;

    /// <summary>Largest wait between retries after a failed call (the wait starts at 100 ms and doubles).</summary>
    public TimeSpan ReconnectMaxTime { get; set; } = DefaultReconnectMaxTime;

    /// <summary>
    /// A watch asks etcd for a progress report every half of this; when nothing at all arrives for this long (a node
    /// cut off by a partition whose connection never breaks), the client stops trusting its view and reconnects.
    /// </summary>
    public TimeSpan SilenceTimeout { get; set; } = DefaultSilenceTimeout;

    /// <summary>
    /// The etcd user to authenticate as (etcd's <c>auth enable</c>), or null (default) for none. Members need write
    /// permission on the prefix, clients read permission (<c>etcdctl role grant-permission … --prefix=true</c>).
    /// </summary>
    public string? Username { get; set; }

    /// <summary>The password of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary>
    /// TLS for <c>https://</c> endpoints, or null (default) for the system's trust store and no client certificate:
    /// <see cref="TlsOptions.CaCertificates"/> is the CA that issued etcd's server certificates (trusted instead of the
    /// system store), <see cref="TlsOptions.Certificate"/> our client certificate for etcd's <c>--client-cert-auth</c>.
    /// <see cref="TlsOptions.Protocols"/> applies too; the rest (<see cref="TlsOptions.InsecureSkipVerify"/> included) is
    /// not used: the server certificate must chain to the CA and name the host of the endpoint URL.
    /// </summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>Receives lost and restored connections to etcd; null (default) logs nothing.</summary>
    public ILogger? Logger { get; set; }

    internal void Validate()
    {
        if (Endpoints is not { Count: > 0 } || Endpoints.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("at least one etcd endpoint is required, none blank", nameof(Endpoints));
        }
        if (string.IsNullOrEmpty(Prefix) || !Prefix.EndsWith('/'))
        {
            throw new ArgumentException("the prefix must end with '/'", nameof(Prefix));
        }
        if ((Username is null) != (Password is null) || (Username is not null && (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))))
        {
            throw new ArgumentException("a user name and a password go together, neither empty", nameof(Username));
        }
        foreach (var (name, value) in (ReadOnlySpan<(string, TimeSpan)>)[(nameof(LeaseTtl), LeaseTtl), (nameof(RequestTimeout), RequestTimeout), (nameof(ReconnectMaxTime), ReconnectMaxTime), (nameof(SilenceTimeout), SilenceTimeout)])
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(name, value, "positive");
            }
        }
    }
}
