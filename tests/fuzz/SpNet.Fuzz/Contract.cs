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

    /// <summary>
    /// What a pipe fed a finite input owes once the bytes ran out and it closed: the host told of the close exactly
    /// once, a reason among <paramref name="reasons"/>, and only messages within <paramref name="maxReceive"/>
    /// delivered, never more bytes than the <paramref name="arrived"/> that came in.
    /// </summary>
    public static void Delivered(Core.Pipe pipe, Support.CollectingHost host, long maxReceive, long arrived, params SpError[] reasons)
    {
        Require(host.ClosedCount == 1, $"host told of the close {host.ClosedCount} times");
        Require(Array.IndexOf(reasons, pipe.CloseReason) >= 0, $"closed with {pipe.CloseReason}: {pipe.CloseDetail}");
        long delivered = 0;
        foreach (int size in host.Sizes)
        {
            Require(size <= maxReceive, $"delivered a {size}-byte message over the limit");
            delivered += size;
        }
        Require(delivered <= arrived, "delivered more bytes than arrived");
    }
}
