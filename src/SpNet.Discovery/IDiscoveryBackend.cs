namespace SpNet.Discovery;

/// <summary>
/// Where members announce themselves and clients learn who is alive: the SP registries
/// (<see cref="RegistryBackend"/>, one or several) or an external store (SpNet.Discovery.Etcd). Both
/// <see cref="ServiceRegistration"/> and <see cref="DiscoveryClient"/> (and so ServiceClient and ServiceHost) work
/// over any backend unchanged. Implementations are thread-safe.
/// </summary>
public interface IDiscoveryBackend
{
    /// <summary>A readable description for logs and error messages, naming the addresses used.</summary>
    string Description { get; }

    /// <summary>
    /// Starts announcing <paramref name="member"/> and returns at once; the backend need not be reachable yet (it
    /// keeps trying). The member stays listed until the returned announcement is disposed (then it leaves within
    /// the backend's leave time) or the process dies.
    /// </summary>
    /// <exception cref="ArgumentException">The backend has no address a member can announce to.</exception>
    /// <exception cref="SpNetException">An address is invalid.</exception>
    IDiscoveryAnnouncement Announce(ServiceMember member);

    /// <summary>
    /// Starts reporting the member sets the backend's sources (each registry, or the store) hold to
    /// <paramref name="observer"/>, from background loops, until the returned handle is disposed. Returns at once.
    /// </summary>
    /// <exception cref="ArgumentException">The backend has no address a client can watch.</exception>
    /// <exception cref="SpNetException">An address is invalid.</exception>
    IAsyncDisposable Watch(IDiscoveryObserver observer);
}
