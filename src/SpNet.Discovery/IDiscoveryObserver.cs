namespace SpNet.Discovery;

/// <summary>
/// Receives what an <see cref="IDiscoveryBackend"/> watch sees. Called from the backend's loops, possibly
/// concurrently for different sources; implementations must be thread-safe, quick, and must not throw.
/// </summary>
public interface IDiscoveryObserver
{
    /// <summary>
    /// A complete member set from <paramref name="source"/> (e.g. one registry's publish address). Within one source,
    /// a snapshot with the same <see cref="ServiceSnapshot.Epoch"/> and a version not higher than the last is stale.
    /// </summary>
    void OnSnapshot(string source, ServiceSnapshot snapshot);

    /// <summary>A message from <paramref name="source"/> that was not a valid snapshot (ignored).</summary>
    void OnMalformed(string source);

    /// <summary>
    /// <paramref name="source"/> is unreachable (connection lost, or silent for too long): its last snapshot should no
    /// longer be trusted while other sources are alive. A later <see cref="OnSnapshot"/> revives it.
    /// </summary>
    void OnSourceLost(string source);
}
