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

    /// <summary>
    /// Receives on <paramref name="port"/> until every expected message has arrived, accepting the sequence number
    /// <paramref name="read"/> takes from each (it may check more and throw); time running out is reported as
    /// <see cref="TimedOut"/>, naming how far the stream got.
    /// </summary>
    public async Task ReceiveAllAsync(MessagePort port, Func<Message, int> read, CancellationToken cancellationToken)
    {
        try
        {
            while (!IsComplete)
            {
                using Message message = await port.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                Accept(read(message));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
    }

    /// <summary>The failure to report when time ran out before the stream completed.</summary>
    public DemoCheckException TimedOut() => new($"{name}: timed out after {Received} of {expected} messages");
}
