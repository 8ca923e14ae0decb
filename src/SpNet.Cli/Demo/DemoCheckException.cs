namespace SpNet.Cli.Demo;

/// <summary>A demo check failed: a message was missing, extra, out of order, corrupted, or late.</summary>
internal sealed class DemoCheckException : Exception
{
    /// <summary>Creates the failure with the reason printed in the check column.</summary>
    public DemoCheckException(string message) : base(message)
    {
    }

    /// <summary>Creates the failure with no reason (required by the exception pattern; the demo always gives one).</summary>
    public DemoCheckException() : base("check failed")
    {
    }

    /// <summary>Creates the failure with a reason and its cause.</summary>
    public DemoCheckException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
