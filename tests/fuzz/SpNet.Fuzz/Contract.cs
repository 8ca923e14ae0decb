namespace SpNet.Fuzz;

/// <summary>A broken promise of the code under test: thrown so that afl-fuzz records the input as a crash.</summary>
internal sealed class ContractViolationException(string message) : Exception(message)
{
    public ContractViolationException() : this("contract violated")
    {
    }

    public ContractViolationException(string message, Exception inner) : this(message + ": " + inner.Message)
    {
    }
}

/// <summary>Checks used by the targets.</summary>
internal static class Contract
{
    public static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new ContractViolationException(what);
        }
    }

    /// <summary>Waits for a pipe to close after its input ran out; a pipe still open then is a hang.</summary>
    public static void Closes(Core.Pipe pipe, TimeSpan bound)
    {
        if (!pipe.Completion.Wait(bound))
        {
            pipe.Close();
            throw new ContractViolationException($"pipe still open {bound.TotalSeconds} s after its stream ended");
        }
    }
}
