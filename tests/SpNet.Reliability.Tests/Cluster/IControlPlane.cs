using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>What the namespace cluster's members and clients discover each other through: SP registries or etcd.</summary>
internal interface IControlPlane : IAsyncDisposable
{
    /// <summary>For reports, e.g. "2 registries".</summary>
    string Name { get; }

    /// <summary>The spcat flags that name the plane (<c>--survey … --publish …</c> pairs, or <c>--etcd …</c>).</summary>
    IReadOnlyList<string> Arguments { get; }

    /// <summary>Extra flags for <c>spcat service host</c> (e.g. the etcd lease time).</summary>
    IReadOnlyList<string> HostArguments { get; }

    /// <summary>
    /// How long after a member dies it is nominally dropped from every view: the registry's missed rounds, or the etcd
    /// lease time. Bounds asserted on a loaded machine are derived from it with a generous factor.
    /// </summary>
    TimeSpan NominalLeave { get; }

    /// <summary>How many nodes (registries or etcd members) there are.</summary>
    int Count { get; }

    /// <summary>Starts node <paramref name="index"/> (again, after <see cref="Kill"/>).</summary>
    Task StartAsync(int index);

    /// <summary>Kills node <paramref name="index"/> (SIGKILL: no goodbye).</summary>
    void Kill(int index);

    /// <summary>True while node <paramref name="index"/> is running.</summary>
    bool IsRunning(int index);

    /// <summary>
    /// True when every running node has all <paramref name="members"/> members (SP registries list members each on its
    /// own; etcd is one store, so always true). Killing a registry before the others caught up with a join would drop
    /// that member from the merged view until they do.
    /// </summary>
    bool EveryNodeLists(int members);

    /// <summary>The running nodes with a role name each, for RSS and thread figures.</summary>
    IEnumerable<(string Role, PeerProcess Process)> Processes { get; }
}
