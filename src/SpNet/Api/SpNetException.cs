namespace SpNet;

/// <summary>
/// The one exception type SpNet throws for protocol, transport and state errors. <see cref="Error"/> names the
/// cause with a code matching NNG's; the message names the URL involved where there is one.
/// Cancellation through a <see cref="CancellationToken"/> surfaces as <see cref="OperationCanceledException"/> instead.
/// </summary>
public class SpNetException : Exception
{
    /// <summary>Creates an exception with an error code and message.</summary>
    public SpNetException(SpError error, string message) : base(message) => Error = error;

    /// <summary>Creates an exception with an error code, a message and the underlying cause.</summary>
    public SpNetException(SpError error, string message, Exception? innerException) : base(message, innerException) => Error = error;

    /// <summary>Creates an exception with <see cref="SpError.Internal"/>.</summary>
    public SpNetException() : this(SpError.Internal, "SpNet error") { }

    /// <summary>Creates an exception with <see cref="SpError.Internal"/> and a message.</summary>
    public SpNetException(string message) : this(SpError.Internal, message) { }

    /// <summary>Creates an exception with <see cref="SpError.Internal"/>, a message and a cause.</summary>
    public SpNetException(string message, Exception innerException) : this(SpError.Internal, message, innerException) { }

    /// <summary>The error code, numerically equal to NNG's error number for the same condition.</summary>
    public SpError Error { get; }
}
