namespace SpNet.Core;

/// <summary>
/// Redial waits: start at the minimum, double after each failure up to the maximum (when it is above the
/// minimum), and jitter each wait uniformly over [½, 1] of its nominal value so that many dialers restarted
/// together do not redial in lockstep. Unlike NNG 1.5's [0, cur) draw, a wait is never zero.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Func<double> _random;
    private TimeSpan _current;

    public Backoff(TimeSpan min, TimeSpan max, Func<double>? random = null)
    {
        _min = min;
        _max = max;
        _random = random ?? Random.Shared.NextDouble;
        _current = min;
    }

    /// <summary>The nominal (un-jittered) value of the next wait.</summary>
    public TimeSpan Current => _current;

    /// <summary>Returns the next jittered wait and grows the nominal value.</summary>
    public TimeSpan Next()
    {
        TimeSpan wait = _current * (0.5 + (0.5 * _random()));
        if (_max > _min)
        {
            TimeSpan doubled = _current * 2;
            _current = doubled > _max ? _max : doubled;
        }
        return wait;
    }

    /// <summary>Back to the minimum, after a connection was established.</summary>
    public void Reset() => _current = _min;
}
