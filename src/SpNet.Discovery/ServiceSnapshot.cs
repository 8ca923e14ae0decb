namespace SpNet.Discovery;

/// <summary>
/// The registry's view of every live member at one moment. <see cref="Version"/> grows by one on each change within
/// one registry run (<see cref="Epoch"/>); a restarted registry has a new epoch and counts again from 1. Immutable.
/// </summary>
public sealed class ServiceSnapshot
{
    /// <summary>The snapshot before anything was received: epoch 0, version 0, no members.</summary>
    public static ServiceSnapshot Empty { get; } = new(0, 0, []);

    /// <summary>Creates a snapshot; members are sorted by service, then address.</summary>
    public ServiceSnapshot(long epoch, long version, IEnumerable<ServiceMember> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        Epoch = epoch;
        Version = version;
        Members = [.. members.OrderBy(m => m.Service, StringComparer.Ordinal).ThenBy(m => m.Address, StringComparer.Ordinal)];
    }

    /// <summary>Identifies one registry run (its start time in Unix milliseconds); 0 for <see cref="Empty"/>.</summary>
    public long Epoch { get; }

    /// <summary>Change counter within <see cref="Epoch"/>.</summary>
    public long Version { get; }

    /// <summary>Every live member, sorted by service then address.</summary>
    public IReadOnlyList<ServiceMember> Members { get; }

    /// <summary>The names of the services with at least one member, sorted.</summary>
    public IReadOnlyList<string> Services => [.. Members.Select(m => m.Service).Distinct()];

    /// <summary>The live members of <paramref name="service"/> (empty when none).</summary>
    public IReadOnlyList<ServiceMember> MembersOf(string service) => [.. Members.Where(m => m.Service == service)];

    /// <summary>True when both list the same members with the same metadata (epoch and version ignored).</summary>
    public bool SameMembersAs(ServiceSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Members.SequenceEqual(other.Members);
    }

    /// <inheritdoc />
    public override string ToString() => $"v{Version} ({Members.Count} members: {string.Join(", ", Members)})";
}
