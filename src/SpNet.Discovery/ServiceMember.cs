namespace SpNet.Discovery;

/// <summary>
/// One live instance of a service as a member announces it: the service name, the SP address where it can be
/// reached, and free-form string metadata (e.g. <c>zone</c>). Immutable and thread-safe.
/// </summary>
public sealed class ServiceMember : IEquatable<ServiceMember>
{
    private static readonly IReadOnlyDictionary<string, string> s_noMeta = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Creates a member.</summary>
    /// <param name="service">Service name; not empty.</param>
    /// <param name="address">SP address (e.g. <c>tcp://10.0.0.5:5555</c>); not empty.</param>
    /// <param name="meta">Metadata; null means none. Copied.</param>
    /// <exception cref="ArgumentException">A name or address is empty.</exception>
    public ServiceMember(string service, string address, IReadOnlyDictionary<string, string>? meta = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        Service = service;
        Address = address;
        Meta = meta is null || meta.Count == 0 ? s_noMeta : new Dictionary<string, string>(meta, StringComparer.Ordinal);
    }

    /// <summary>The service name.</summary>
    public string Service { get; }

    /// <summary>The SP address the member listens on.</summary>
    public string Address { get; }

    /// <summary>String metadata (never null). <c>zone</c> is used by <see cref="ServiceClient"/> for locality.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; }

    /// <summary>The <c>zone</c> metadata value, or null.</summary>
    public string? Zone => Meta.TryGetValue("zone", out string? zone) ? zone : null;

    /// <summary>Equal when service, address and every metadata entry are equal.</summary>
    public bool Equals(ServiceMember? other)
    {
        if (other is null)
        {
            return false;
        }
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (Service != other.Service || Address != other.Address || Meta.Count != other.Meta.Count)
        {
            return false;
        }
        foreach (var (key, value) in Meta)
        {
            if (!other.Meta.TryGetValue(key, out string? theirs) || theirs != value)
            {
                return false;
            }
        }
        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ServiceMember);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Service, Address, Meta.Count);

    /// <inheritdoc />
    public override string ToString() => $"{Service}@{Address}";
}
