using System.Text;

namespace SpNet.Options;

/// <summary>
/// The value type of an option and its valid range: how the loosely typed value of <see cref="MessagePort.SetOption"/>
/// becomes a <typeparamref name="T"/> (a value of another type fails with <see cref="SpError.BadType"/>, as NNG's
/// NNG_EBADTYPE) and which values are allowed (checked for the typed property and the named option alike).
/// </summary>
internal sealed class OptionKind<T>(string typeName, OptionKind<T>.Converter convert, Func<T, bool>? valid = null, string? range = null)
{
    /// <summary>Turns a boxed value of an accepted type into a <typeparamref name="T"/>; false for any other type.</summary>
    public delegate bool Converter(object value, out T result);

    /// <summary>The typed value of <paramref name="value"/>, or <see cref="SpError.BadType"/> naming the option.</summary>
    public T Convert(string name, object value) => convert(value, out T result)
        ? result
        : throw new SpNetException(SpError.BadType, $"option '{name}' takes {typeName}, not {value.GetType().Name} '{value}'");

    /// <summary>Fails a value out of range, as the typed property's setter reports it.</summary>
    public void Check(T value)
    {
        if (valid is not null && !valid(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, range);
        }
    }
}

/// <summary>The value types of SpNet's options.</summary>
internal static class OptionKind
{
    /// <summary>A duration: a <see cref="TimeSpan"/>, or whole milliseconds as NNG's <c>nng_duration</c> (-1 = infinite).</summary>
    public static OptionKind<TimeSpan> Duration(Func<TimeSpan, bool> valid, string range) =>
        new("a TimeSpan or milliseconds (-1 = infinite)", ToDuration, valid, range);

    /// <summary>A timeout: zero, positive or <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static OptionKind<TimeSpan> Timeout { get; } =
        Duration(t => t >= TimeSpan.Zero || t == System.Threading.Timeout.InfiniteTimeSpan, "zero, positive or infinite");

    /// <summary>A duration that must be positive (reconnect and handshake times).</summary>
    public static OptionKind<TimeSpan> PositiveDuration { get; } = Duration(t => t > TimeSpan.Zero, "must be positive");

    /// <summary>A duration that is positive or <see cref="Timeout.InfiniteTimeSpan"/> (a survey's time).</summary>
    public static OptionKind<TimeSpan> PositiveOrInfinite { get; } =
        Duration(t => t > TimeSpan.Zero || t == System.Threading.Timeout.InfiniteTimeSpan, "positive or infinite");

    /// <summary>A duration of zero or more, not infinite.</summary>
    public static OptionKind<TimeSpan> NonNegativeDuration { get; } = Duration(t => t >= TimeSpan.Zero, "zero or positive");

    /// <summary>A boolean.</summary>
    public static OptionKind<bool> Boolean { get; } = new("a boolean", ToBoolean);

    /// <summary>Text (the read-only names).</summary>
    public static OptionKind<string> Text { get; } = new("text", ToText);

    /// <summary>Bytes, or text taken as its UTF-8 bytes (<c>sub:subscribe</c>).</summary>
    public static OptionKind<byte[]> Bytes { get; } = new("bytes or text", ToBytes);

    /// <summary>The hop limit of REQ/REP and SURVEYOR/RESPONDENT backtraces and PAIR1 (NNG: 1 to 15).</summary>
    public static OptionKind<int> Ttl { get; } = Int32(1, 15);

    /// <summary>An integer from <paramref name="min"/> to <paramref name="max"/>; an <see cref="int"/> or a <see cref="long"/>.</summary>
    public static OptionKind<int> Int32(int min, int max) =>
        new("an integer", ToInt32, v => v >= min && v <= max, $"{min} to {max}");

    /// <summary>An integer of at least <paramref name="min"/>; an <see cref="int"/> or a <see cref="long"/>.</summary>
    public static OptionKind<long> Int64(long min) =>
        new("an integer", (object v, out long l) => ToInt64(v, out l), v => v >= min, $"at least {min}");

    private static bool ToDuration(object value, out TimeSpan result)
    {
        switch (value)
        {
            case TimeSpan t:
                result = t;
                return true;
            case int or long:
                long ms = value is int i ? i : (long)value;
                result = ms switch
                {
                    -1 => System.Threading.Timeout.InfiniteTimeSpan,
                    >= 0 and <= int.MaxValue => TimeSpan.FromMilliseconds(ms),
                    // The right type with a wrong value: reported as out of range, not as a bad type.
                    _ => throw new ArgumentOutOfRangeException(nameof(value), value, "milliseconds from 0 to 2147483647, or -1 (infinite)"),
                };
                return true;
            default:
                result = default;
                return false;
        }
    }

    private static bool ToText(object value, out string result)
    {
        result = value as string ?? "";
        return value is string;
    }

    private static bool ToBoolean(object value, out bool result)
    {
        result = value is true;
        return value is bool;
    }

    private static bool ToInt32(object value, out int result)
    {
        if (ToInt64(value, out long wide))
        {
            // The right type with a wrong value: reported as out of range, not as a bad type.
            result = wide is >= int.MinValue and <= int.MaxValue ? (int)wide : throw new ArgumentOutOfRangeException(nameof(value), value, "beyond a 32-bit integer");
            return true;
        }
        result = 0;
        return false;
    }

    private static bool ToInt64(object value, out long result)
    {
        switch (value)
        {
            case int i:
                result = i;
                return true;
            case long l:
                result = l;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static bool ToBytes(object value, out byte[] result)
    {
        result = value switch
        {
            byte[] bytes => bytes,
            ReadOnlyMemory<byte> memory => memory.ToArray(),
            Memory<byte> memory => memory.ToArray(),
            string text => Encoding.UTF8.GetBytes(text),
            _ => null!,
        };
        return result is not null;
    }
}
