using System.Text;

namespace SpNet.Internal;

/// <summary>Converts the loosely typed values of string-keyed options, failing with <see cref="SpError.InvalidArgument"/>.</summary>
internal static class OptionValues
{
    /// <summary>A duration: a <see cref="TimeSpan"/>, or whole milliseconds as NNG's <c>nng_duration</c> (-1 = infinite).</summary>
    public static TimeSpan ToDuration(string name, object value) => value switch
    {
        TimeSpan t => t,
        int ms when ms == -1 => Timeout.InfiniteTimeSpan,
        int ms when ms >= 0 => TimeSpan.FromMilliseconds(ms),
        long ms when ms == -1 => Timeout.InfiniteTimeSpan,
        long ms when ms is >= 0 and <= int.MaxValue => TimeSpan.FromMilliseconds(ms),
        _ => throw Invalid(name, value, "a TimeSpan or milliseconds (-1 = infinite)"),
    };

    public static int ToInt32(string name, object value, int min, int max) => value switch
    {
        int i when i >= min && i <= max => i,
        long l when l >= min && l <= max => (int)l,
        _ => throw Invalid(name, value, $"an integer from {min} to {max}"),
    };

    public static long ToInt64(string name, object value, long min) => value switch
    {
        int i when i >= min => i,
        long l when l >= min => l,
        _ => throw Invalid(name, value, $"an integer of at least {min}"),
    };

    public static bool ToBoolean(string name, object value) =>
        value is bool b ? b : throw Invalid(name, value, "a boolean");

    public static byte[] ToBytes(string name, object value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        Memory<byte> memory => memory.ToArray(),
        string text => Encoding.UTF8.GetBytes(text),
        _ => throw Invalid(name, value, "bytes or text"),
    };

    /// <summary>Wraps a property setter's range check in the option's own error.</summary>
    public static void Apply<T>(string name, T value, Action<T> set)
    {
        try
        {
            set(value);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new SpNetException(SpError.InvalidArgument, $"option '{name}': {ex.Message}");
        }
    }

    private static SpNetException Invalid(string name, object value, string expected) =>
        new(SpError.InvalidArgument, $"option '{name}' needs {expected}, not {value?.GetType().Name ?? "null"} '{value}'");
}
