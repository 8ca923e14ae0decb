namespace SpNet.Discovery.Etcd.Tests;

internal static class Timing
{
    /// <summary>The lease time to live the tests use (etcd's floor with its default election timeout is 1.5 s).</summary>
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Scheduling slack added to wall-clock bounds: the machine is a shared 2-core box where etcd's fsyncs, its
    /// elections and our continuations all run late under load.
    /// </summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(2);

    /// <summary>An upper bound for waits that should never come near it (fail fast on a hang).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    public static CancellationToken Within(TimeSpan timeout) => new CancellationTokenSource(timeout).Token;

    public static EtcdBackendOptions Options(EtcdCluster cluster, IReadOnlyList<string>? endpoints = null) => new()
    {
        Endpoints = endpoints ?? cluster.ClientUrls,
        LeaseTtl = LeaseTtl,
    };
}
