using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

/// <summary>Runs alone: it compares exact metric differences, which sockets of other tests running meanwhile would move.</summary>
[CollectionDefinition(nameof(SerialMetrics), DisableParallelization = true)]
public sealed class SerialMetrics;

[Collection(nameof(SerialMetrics))]
public class MetricsCloseTests
{
    [Fact]
    public async Task A_pipe_that_finishes_closing_after_Close_is_still_counted_as_closed()
    {
        using var meter = new PipeMeter();
        long openedBefore = meter.Read("spnet.pipes.opened");
        long closedBefore = meter.Read("spnet.pipes.closed");

        var logger = new BlockingCloseLogger();
        var a = new PairSocket { Logger = logger };
        try
        {
            await using (var b = new PairSocket())
            {
                await a.ConnectTcpAsync(b);
            }
            // b is gone: a's read loop is closing its pipe and is held inside the close, before the socket forgets it.
            Assert.True(logger.Entered.Wait(TimeSpan.FromSeconds(5)), "a's pipe started closing");
            a.Close(); // the pipe is already closing, so Close() cannot finish it: it finishes afterwards
            Assert.Equal(0, a.Statistics.PipesClosed);
        }
        finally
        {
            logger.Release.Set();
        }
        await Eventually.True(() => a.Statistics.PipesClosed == 1, "a's pipe forgotten");

        Assert.Equal(2, meter.Read("spnet.pipes.opened") - openedBefore); // one pipe on each side
        Assert.Equal(2, meter.Read("spnet.pipes.closed") - closedBefore);
        await a.DisposeAsync();
    }

    /// <summary>Holds the thread that logs a pipe's close until released, to stop a close half way.</summary>
    private sealed class BlockingCloseLogger : ILogger
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 1 && !Entered.IsSet) // PipeClosed
            {
                Entered.Set();
                Release.Wait(TimeSpan.FromSeconds(10));
            }
        }
    }

    /// <summary>Reads the SpNet meter's <c>pair</c> measurements on demand.</summary>
    private sealed class PipeMeter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _seen = [];

        public PipeMeter()
        {
            _listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SpNetMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == SpNetMetrics.ProtocolTag && (string?)tag.Value == "pair")
                    {
                        _seen[instrument.Name] = value;
                    }
                }
            });
            _listener.Start();
        }

        public long Read(string instrument)
        {
            _listener.RecordObservableInstruments();
            return _seen.GetValueOrDefault(instrument);
        }

        public void Dispose() => _listener.Dispose();
    }
}
