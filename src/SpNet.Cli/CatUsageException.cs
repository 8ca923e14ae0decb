namespace SpNet.Cli;

/// <summary>A fatal command-line or run-time error: spcat prints the message on standard error and exits with 1.</summary>
public sealed class CatUsageException : Exception
{
    /// <summary>Creates the exception with the exact text printed on standard error (no trailing newline).</summary>
    public CatUsageException(string message) : base(message) { }

    /// <summary>Creates the exception with a default message.</summary>
    public CatUsageException() : base("spcat error") { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public CatUsageException(string message, Exception innerException) : base(message, innerException) { }
}
