using Microsoft.Extensions.Logging;
using SpNet.Internal;

namespace SpNet.Core;

/// <summary>
/// Decides which of a dialer's consecutive failed attempts reach the log: the first at Warning, then one summary per
/// <see cref="RepeatInterval"/> while they continue, and one line when a connection finally succeeds. A refused dial
/// retries every 50–100 ms by default (NNG's reconnect time, no growth), which logged ~12 lines a second forever.
/// </summary>
internal sealed class DialFailureLog
{
    /// <summary>
    /// Thirty seconds: a log watcher still sees within half a minute that the peer is down, and a default dialer
    /// writes one line per ~400 attempts instead of each one (the counts stay exact in <see cref="SocketStatistics"/>).
    /// </summary>
    public static readonly TimeSpan RepeatInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock;
    private long _failures;
    private long _firstFailureAt;
    private long _lastReportAt;

    public DialFailureLog(TimeProvider? clock = null) => _clock = clock ?? TimeProvider.System;

    /// <summary>Consecutive failures since the last success.</summary>
    public long Failures => _failures;

    /// <summary>Records a failed attempt and logs it if it is the first or a summary is due.</summary>
    public void Failed(ILogger? logger, string url, string detail)
    {
        long now = _clock.GetTimestamp();
        _failures++;
        if (_failures == 1)
        {
            _firstFailureAt = now;
            _lastReportAt = now;
            if (logger is not null)
            {
                Log.DialFailed(logger, url, detail);
            }
            return;
        }
        if (_clock.GetElapsedTime(_lastReportAt, now) >= RepeatInterval)
        {
            _lastReportAt = now;
            if (logger is not null)
            {
                Log.DialStillFailing(logger, url, _failures, _clock.GetElapsedTime(_firstFailureAt, now), detail);
            }
        }
    }

    /// <summary>Records a connection; logs the recovery if attempts had failed.</summary>
    public void Connected(ILogger? logger, string url)
    {
        if (_failures > 0 && logger is not null)
        {
            Log.DialRecovered(logger, url, _failures);
        }
        _failures = 0;
    }
}
