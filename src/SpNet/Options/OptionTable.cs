namespace SpNet.Options;

/// <summary>
/// Looks options up by NNG name for an owner whose exact type the caller does not know (a <see cref="Socket"/> or
/// <see cref="SocketContext"/> holds its table as this).
/// </summary>
internal interface IOptionTable
{
    /// <summary>Reads <paramref name="name"/> on <paramref name="owner"/>; false for a name the table lacks.</summary>
    bool TryGet(object owner, string name, out object value);

    /// <summary>Writes <paramref name="name"/> on <paramref name="owner"/>; false for a name the table lacks.</summary>
    bool TrySet(object owner, string name, object value);
}

/// <summary>
/// The options of one socket or context type, by NNG name (NNG's per-protocol <c>nni_option</c> arrays). A protocol's
/// table is the common one <see cref="With{TDerived}"/> its own entries; cooked and raw sockets of a protocol share it.
/// Built once per type; read-only afterwards, so lookups need no lock.
/// </summary>
internal sealed class OptionTable<TOwner> : IOptionTable
    where TOwner : class
{
    private readonly Dictionary<string, IOption<TOwner>> _byName;

    /// <summary>A table of <paramref name="options"/>; a name given twice is a programming error.</summary>
    public OptionTable(IEnumerable<IOption<TOwner>> options) =>
        _byName = options.ToDictionary(o => o.Name, StringComparer.Ordinal);

    /// <summary>The names this table knows.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>This table's entries and <paramref name="more"/>, for a derived owner type.</summary>
    public OptionTable<TDerived> With<TDerived>(params IOption<TDerived>[] more)
        where TDerived : class, TOwner =>
        new([.. _byName.Values, .. more]);

    /// <inheritdoc />
    public bool TryGet(object owner, string name, out object value)
    {
        if (_byName.TryGetValue(name, out IOption<TOwner>? option))
        {
            value = option.Read((TOwner)owner);
            return true;
        }
        value = null!;
        return false;
    }

    /// <inheritdoc />
    public bool TrySet(object owner, string name, object value)
    {
        if (_byName.TryGetValue(name, out IOption<TOwner>? option))
        {
            option.Write((TOwner)owner, value);
            return true;
        }
        return false;
    }
}
