using System.Diagnostics.CodeAnalysis;

namespace SpNet.Internal;

/// <summary>Throw sites kept out of line so hot methods stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void Throw(SpError error, string message) => throw new SpNetException(error, message);

    [DoesNotReturn]
    public static void ThrowClosed(string what) => throw new SpNetException(SpError.Closed, $"{what} is closed");

    [DoesNotReturn]
    public static void ThrowTimedOut(string operation) => throw new SpNetException(SpError.TimedOut, $"{operation} timed out");

    [DoesNotReturn]
    public static void ThrowState(string message) => throw new SpNetException(SpError.IncorrectState, message);

    [DoesNotReturn]
    public static void ThrowNotSupported(string message) => throw new SpNetException(SpError.NotSupported, message);
}
