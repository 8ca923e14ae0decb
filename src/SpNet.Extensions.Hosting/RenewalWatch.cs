namespace SpNet.Extensions.Hosting;

/// <summary>
/// How long a registration's renewal count has stood still, measured between the health check's own polls, so a
/// registry that stopped surveying is noticed at most one poll late. Not thread-safe: callers hold their lock.
/// </summary>
internal sealed class RenewalWatch(DateTimeOffset startedAt)
{
    private long _renewals;
    private DateTimeOffset _confirmedAt = startedAt;

    /// <summary>Records <paramref name="renewals"/> seen at <paramref name="now"/> and returns the time since it last grew (or since the start).</summary>
    public TimeSpan SilentFor(long renewals, DateTimeOffset now)
    {
        if (renewals != _renewals)
        {
            _renewals = renewals;
            _confirmedAt = now;
        }
        return now - _confirmedAt;
    }
}
