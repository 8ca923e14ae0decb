namespace SpNet.Discovery.Etcd;

/// <summary>Retry waits: 100 ms, doubling up to a maximum; reset after a success.</summary>
internal sealed class Backoff(TimeSpan max)
{
    private static readonly TimeSpan s_first = TimeSpan.FromMilliseconds(100);
    private TimeSpan _next = s_first;

    public void Reset() => _next = s_first;

    public TimeSpan Next()
    {
        TimeSpan wait = _next < max ? _next : max;
        _next = wait * 2;
        return wait;
    }
}
