using SpNet.Core;

namespace SpNet.Protocols.Routing;

/// <summary>The pipes a protocol sends to when it treats every peer alike: each attached pipe joins, each detached one leaves.</summary>
internal interface IPipeSet
{
    /// <summary>Attaches <paramref name="pipe"/>.</summary>
    void Add(Pipe pipe);

    /// <summary>Detaches <paramref name="pipe"/>.</summary>
    void Remove(Pipe pipe);
}
