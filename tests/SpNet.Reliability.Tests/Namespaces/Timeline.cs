using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>
/// One clock for a run, and the time each output line of the tracked processes was first seen: polled every 20 ms
/// (the resolution of every figure taken from it, plus the process's own flush).
/// </summary>
internal sealed class Timeline : IAsyncDisposable
{
    private static readonly TimeSpan s_step = TimeSpan.FromMilliseconds(20);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly List<TimedLines> _tracked = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _poller;

    /// <summary>Starts polling.</summary>
    public Timeline() => _poller = PollAsync();

    /// <summary>Time since the timeline started.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Starts timing the lines of <paramref name="process"/>.</summary>
    public TimedLines Track(PeerProcess process)
    {
        var lines = new TimedLines(process);
        lock (_gate)
        {
            _tracked.Add(lines);
        }
        lines.Poll(Now);
        return lines;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every poll step; false when <paramref name="timeout"/> passes first.</summary>
    public Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout) => Polling.UntilAsync(() => Now, Now + timeout, s_step, PollAll, condition);

    /// <summary>Stops polling.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _poller;
        _stop.Dispose();
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            PollAll();
            try
            {
                await Task.Delay(s_step, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void PollAll()
    {
        TimeSpan now = Now;
        lock (_gate)
        {
            foreach (TimedLines lines in _tracked)
            {
                lines.Poll(now);
            }
        }
    }
}

/// <summary>A process's output lines with the time each was first seen on the <see cref="Timeline"/>.</summary>
internal sealed class TimedLines(PeerProcess process)
{
    private readonly List<(TimeSpan At, string Text)> _lines = [];

    /// <summary>The process.</summary>
    public PeerProcess Process => process;

    /// <summary>A copy of the lines seen so far.</summary>
    public IReadOnlyList<(TimeSpan At, string Text)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>How many lines were seen so far.</summary>
    public int Count
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The first line seen at or after <paramref name="since"/> that matches <paramref name="match"/>, or null.</summary>
    public (TimeSpan At, string Text)? First(TimeSpan since, Func<string, bool> match)
    {
        lock (_lines)
        {
            foreach ((TimeSpan at, string text) in _lines)
            {
                if (at >= since && match(text))
                {
                    return (at, text);
                }
            }
        }
        return null;
    }

    internal void Poll(TimeSpan now)
    {
        lock (_lines)
        {
            foreach (string line in process.OutputLinesFrom(_lines.Count))
            {
                _lines.Add((now, line));
            }
        }
    }
}
