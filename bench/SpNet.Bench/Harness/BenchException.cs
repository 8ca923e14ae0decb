namespace SpNet.Bench.Harness;

/// <summary>A failure spbench reports in one line (bad arguments, a library error, a stalled run) and exits with status 2, as perf's die().</summary>
internal sealed class BenchException : Exception
{
    public BenchException() { }

    public BenchException(string message) : base(message) { }

    public BenchException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A receive or send waited longer than its timeout.</summary>
internal sealed class BenchTimeoutException : Exception
{
    public BenchTimeoutException() : base("timed out") { }

    public BenchTimeoutException(string message) : base(message) { }

    public BenchTimeoutException(string message, Exception innerException) : base(message, innerException) { }
}
