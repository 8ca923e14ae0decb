using Microsoft.Extensions.Logging;
using SpNet.Core;
using SpNet.TestKit;
using SpNet.Tests.Transports;

namespace SpNet.Tests.Core;

public class DialFailureLogTests
{
    private const string Url = "tcp://127.0.0.1:9";

    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    [Fact]
    public void First_failure_is_a_warning_then_one_summary_per_interval_then_the_recovery()
    {
        var clock = new ManualClock();
        var log = new CapturingLogger();
        var failures = new DialFailureLog(clock);

        failures.Failed(log, Url, "Connection refused");
        for (int i = 0; i < 300; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(80));
            failures.Failed(log, Url, "Connection refused");
        }
        // 300 x 80 ms = 24 s: still inside the first interval, so only the first failure was logged.
        var first = Assert.Single(log.Entries);
        Assert.Equal((LogLevel.Warning, 3), (first.Level, first.EventId));
        Assert.Contains("Connection refused", first.Text, StringComparison.Ordinal);

        clock.Advance(DialFailureLog.RepeatInterval);
        failures.Failed(log, Url, "Connection refused");
        Assert.Equal(2, log.Entries.Count);
        Assert.Equal((LogLevel.Warning, 8), (log.Entries[1].Level, log.Entries[1].EventId));
        Assert.Contains("302 attempts", log.Entries[1].Text, StringComparison.Ordinal);

        failures.Connected(log, Url);
        Assert.Equal((LogLevel.Information, 9), (log.Entries[2].Level, log.Entries[2].EventId));
        Assert.Contains("302 failed attempts", log.Entries[2].Text, StringComparison.Ordinal);

        failures.Failed(log, Url, "Connection reset");
        Assert.Equal((LogLevel.Warning, 3), (log.Entries[3].Level, log.Entries[3].EventId));
    }

    [Fact]
    public async Task A_refused_dial_logs_one_warning_while_it_keeps_retrying()
    {
        var log = new CapturingLogger();
        await using var push = new PushSocket { Logger = log, ReconnectMinTime = TimeSpan.FromMilliseconds(5) };
        push.Dial($"tcp://127.0.0.1:{TestNetwork.FreePort()}");
        await Eventually.True(() => push.Statistics.ConnectFailures >= 20, "20 failed dial attempts");
        var warning = Assert.Single(log.Entries, e => e.EventId is 3 or 8);
        Assert.Equal(LogLevel.Warning, warning.Level);
    }
}
