namespace SpNet.Protocols.Routing;

/// <summary>
/// The outstanding request (or survey) ids of a REQ or SURVEYOR socket and the context each belongs to. Ids have
/// bit 31 set, as the wire requires, start at a random value and count up, skipping any still in use. Not
/// thread-safe: the owning protocol calls it under its own lock.
/// </summary>
internal sealed class RequestIds<TContext> where TContext : class
{
    private readonly Dictionary<uint, TContext> _owners = [];
    private uint _next = 0x80000000u | (uint)Random.Shared.Next();

    /// <summary>How many ids are outstanding.</summary>
    public int Count => _owners.Count;

    /// <summary>The contexts with an outstanding id.</summary>
    public Dictionary<uint, TContext>.ValueCollection Owners => _owners.Values;

    /// <summary>Takes a new id for <paramref name="owner"/>.</summary>
    public uint Allocate(TContext owner)
    {
        uint id = _next;
        while (_owners.ContainsKey(id))
        {
            id = 0x80000000u | (id + 1);
        }
        _next = 0x80000000u | (id + 1);
        _owners.Add(id, owner);
        return id;
    }

    /// <summary>The context that owns <paramref name="id"/>, if it is outstanding.</summary>
    public bool TryGet(uint id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TContext? owner) => _owners.TryGetValue(id, out owner);

    /// <summary>Releases <paramref name="id"/>; a late answer to it is then unknown.</summary>
    public void Remove(uint id) => _owners.Remove(id);

    /// <summary>Every context with an outstanding id, plus <paramref name="extra"/> (the socket's own), to close them outside the lock.</summary>
    public TContext[] SnapshotWith(TContext extra) => [.. _owners.Values, extra];
}
