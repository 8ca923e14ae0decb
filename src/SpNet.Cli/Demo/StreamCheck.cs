namespace SpNet.Cli.Demo;

/// <summary>
/// Checks one receiver's stream: each sequence number must be exactly the next expected one, so a lost,
/// duplicated or reordered message fails at the first wrong number. Used by one receiving task at a time.
/// </summary>
internal sealed class StreamCheck(string name, int expected, int step = 1, int first = 0)
{
    private int _next = first;
    private int _received;

    /// <summary>Messages accepted so far.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>True once every expected message has arrived.</summary>
    public bool IsComplete => Received >= expected;

    /// <summary>Accepts the next sequence number or throws naming what went wrong.</summary>
    /// <exception cref="DemoCheckException">Not the expected number, or more messages than expected.</exception>
    public void Accept(int sequence)
    {
        if (IsComplete)
        {
            throw new DemoCheckException($"{name}: unexpected extra message #{sequence}");
        }
        if (sequence != _next)
        {
            string what = sequence > _next ? "lost" : "duplicated or reordered";
            throw new DemoCheckException($"{name}: expected #{_next}, got #{sequence} ({what})");
        }
        _next += step;
        Volatile.Write(ref _received, _received + 1);
    }

    /// <summary>The failure to report when time ran out before the stream completed.</summary>
    public DemoCheckException TimedOut() => new($"{name}: timed out after {Received} of {expected} messages");
}
