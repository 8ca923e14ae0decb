namespace SpNet.Discovery;

/// <summary>How <see cref="DiscoveryClient.Resolve"/> picks among a service's live members.</summary>
public enum ResolvePolicy
{
    /// <summary>Each call takes the next member in turn (default).</summary>
    RoundRobin,

    /// <summary>Each call takes a member at random.</summary>
    Random,
}
