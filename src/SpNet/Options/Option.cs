namespace SpNet.Options;

/// <summary>
/// One named option of a socket or context type, as an entry of its <see cref="OptionTable{TOwner}"/> (NNG's
/// <c>nni_option</c>): the NNG name and how to read and write it on an owner. Contravariant, so a socket type's table
/// takes the entries every socket has.
/// </summary>
internal interface IOption<in TOwner>
{
    /// <summary>The NNG name (see <see cref="OptionNames"/>).</summary>
    string Name { get; }

    /// <summary>The value, boxed; <see cref="SpError.WriteOnly"/> for an option that cannot be read.</summary>
    object Read(TOwner owner);

    /// <summary>Converts, checks and stores a loosely typed value, failing with NNG's codes.</summary>
    void Write(TOwner owner, object value);
}

/// <summary>
/// An option whose value is a <typeparamref name="TValue"/>. The typed property calls <see cref="Get"/> and
/// <see cref="Set"/>, <see cref="MessagePort.SetOption"/> calls <see cref="Write"/>: both reach the same range check and
/// the same storage, so there is one way to write each option.
/// </summary>
internal sealed class Option<TOwner, TValue>(string name, OptionKind<TValue> kind, Func<TOwner, TValue>? get, Action<TOwner, TValue>? set) : IOption<TOwner>
{
    /// <inheritdoc />
    public string Name => name;

    /// <summary>The typed value, for the typed property.</summary>
    public TValue Get(TOwner owner) => (get ?? throw WriteOnly())(owner);

    /// <summary>Checks and stores a typed value; out of range fails with <see cref="ArgumentOutOfRangeException"/>.</summary>
    public void Set(TOwner owner, TValue value)
    {
        Action<TOwner, TValue> store = set ?? throw new SpNetException(SpError.ReadOnly, $"option '{name}' is read-only");
        kind.Check(value);
        store(owner, value);
    }

    /// <inheritdoc />
    public object Read(TOwner owner) => Get(owner)!;

    /// <inheritdoc />
    public void Write(TOwner owner, object value)
    {
        if (set is null)
        {
            // Read-only is known before the value is looked at, as in NNG.
            throw new SpNetException(SpError.ReadOnly, $"option '{name}' is read-only");
        }
        try
        {
            Set(owner, kind.Convert(name, value));
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new SpNetException(SpError.InvalidArgument, $"option '{name}': {ex.Message}");
        }
    }

    private SpNetException WriteOnly() => new(SpError.WriteOnly, $"option '{name}' is write-only");
}
