
namespace SpNet.Transports.Framing;

/// <summary>
/// Gives idle stream pipes' grown read chunks and write buffers back to the pool. A pipe's buffers start at
/// <see cref="StreamPipe.MinBufferSize"/> and go back after each use while they are that size; a busy pipe's grown
/// ones are parked instead: with many connections that each pause between messages (1,000 REQ sockets), returning and
/// renting 64 KiB on every pause overflowed the runtime's shared pool, which then allocated ~22 KB per round trip and
/// doubled p99. Once a second this sweeper takes every chunk parked for over a second, and every write buffer of a
/// pipe that has written nothing for as long, so a busy pipe keeps its buffers and an idle one holds none after about
/// two seconds.
/// </summary>
internal static class IdleChunkSweeper
{
    /// <summary>How often the sweeper looks, and how long a chunk must have been parked to be taken.</summary>
    internal static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    private static readonly object s_gate = new();
    private static readonly HashSet<StreamPipe> s_pipes = [];
    private static readonly Timer s_timer = CreateTimer();
    private static bool s_armed;

    /// <summary>Watches <paramref name="pipe"/> until <see cref="Remove"/>; starts the timer if it was idle.</summary>
    public static void Add(StreamPipe pipe)
    {
        lock (s_gate)
        {
            s_pipes.Add(pipe);
            if (!s_armed)
            {
                s_armed = true;
                s_timer.Change(Period, Period);
            }
        }
    }

    /// <summary>Stops watching <paramref name="pipe"/> (its read loop has ended).</summary>
    public static void Remove(StreamPipe pipe)
    {
        lock (s_gate)
        {
            s_pipes.Remove(pipe);
        }
    }

    /// <summary>Runs one sweep now (tests).</summary>
    internal static void SweepNow(long parkedBefore)
    {
        // The same instant on the write side's clock (Stopwatch timestamps).
        long quietForMs = Math.Max(0, Environment.TickCount64 - parkedBefore);
        long quietSince = System.Diagnostics.Stopwatch.GetTimestamp() - (quietForMs * System.Diagnostics.Stopwatch.Frequency / 1000);
        lock (s_gate)
        {
            foreach (StreamPipe pipe in s_pipes)
            {
                if (pipe.TakeParkedChunk(parkedBefore) is byte[] chunk)
                {
                    BufferPool.Return(chunk);
                }
                pipe.ReleaseQuietWriteBuffer(quietSince);
            }
        }
    }

    private static void OnTick(object? state)
    {
        SweepNow(Environment.TickCount64 - (long)Period.TotalMilliseconds);
        lock (s_gate)
        {
            // Under the same lock as Add, so a pipe added meanwhile either is seen here or re-arms the timer itself.
            if (s_pipes.Count == 0 && s_armed)
            {
                s_armed = false;
                s_timer.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
    }

    private static Timer CreateTimer()
    {
        // No execution context of whichever pipe happened to start first should flow into every later sweep.
        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(OnTick, null, Timeout.Infinite, Timeout.Infinite);
        }
    }
}
