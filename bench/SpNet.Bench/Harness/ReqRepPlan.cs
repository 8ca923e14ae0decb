using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Harness;

/// <summary>What one <c>reqrep</c> run does: C REQ clients against one REP answering with W worker contexts.</summary>
/// <param name="Clients">REQ clients, each one request outstanding at a time.</param>
/// <param name="Workers">REP contexts echoing, each one request at a time.</param>
/// <param name="Size">Request body size in bytes (at least 12: client index and sequence number).</param>
/// <param name="Transport">tcp, inproc or ipc.</param>
/// <param name="Duration">Run for this long (clients finish the round trip they are in); null when <paramref name="Trips"/> is set.</param>
/// <param name="Trips">Run until this many round trips have been started in all; null when <paramref name="Duration"/> is set.</param>
/// <param name="Sockets">One REQ socket (and connection) per client instead of contexts on one REQ socket.</param>
internal sealed record ReqRepOptions(int Clients, int Workers, int Size, string Transport, TimeSpan? Duration, long? Trips, bool Sockets)
{
    /// <summary>Size of the id every request carries: client index (4 bytes) and sequence number (8 bytes).</summary>
    public const int IdSize = 12;

    /// <summary>How long a client waits for one reply before counting it lost.</summary>
    public static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    public string ClientsDescription => Sockets ? $"{Clients:N0} REQ sockets" : $"{Clients:N0} contexts on 1 REQ socket";
}

/// <summary>One <c>reqrep</c> run: round trips completed, their latency, and what went wrong.</summary>
internal sealed record ReqRepResult(
    ReqRepOptions Options,
    long Trips,
    TimeSpan Elapsed,
    long Lost,
    long Mismatched,
    double P50Microseconds,
    double P99Microseconds,
    double P999Microseconds,
    AllocationSample Client,
    AllocationSample Server)
{
    public double TripsPerSecond => Elapsed > TimeSpan.Zero ? Trips / Elapsed.TotalSeconds : 0;

    /// <summary>Both processes together, per round trip in steady state (<see cref="AllocationSample.Messages"/> 0: not reached).</summary>
    public AllocationSample Allocation => new(Client.Bytes + Server.Bytes, Client.Gen0 + Server.Gen0, Client.Messages);
}

/// <summary>
/// Counts shared by a run's clients. Each request carries its client's index and a sequence number in its body and
/// the reply must echo the body exactly; a reply that does not is mismatched, one that does not come within
/// <see cref="ReqRepOptions.ReplyTimeout"/> is lost.
/// </summary>
internal sealed class ReqRepTally
{
    private readonly ReqRepOptions _options;
    /// <summary>Round trips per second a timed run's latency lists are sized for.</summary>
    private const long MostTripsPerSecond = 1_000_000;

    private readonly List<long>[] _latencies;
    private readonly long _deadline;
    private readonly long _start;
    private readonly long _steadyAfter;
    private readonly Action _onSteady;
    private (long Bytes, int Gen0) _steadyMark;
    private long _steadyCompleted = -1;
    private long _completed;
    private long _started;
    private long _lost;
    private long _mismatched;
    private long _finishedAt;
    private int _running;
    private string? _failure;

    /// <param name="options">The run.</param>
    /// <param name="onSteady">Called once, when every client has had two round trips on average: from then on
    /// allocation is steady state (the first trips open contexts, start state machines, grow pools).</param>
    public ReqRepTally(ReqRepOptions options, Action onSteady)
    {
        _options = options;
        _onSteady = onSteady;
        _steadyAfter = 2L * options.Clients;
        // Room for the whole run up front, so the tally's own lists do not allocate while allocation is measured: a
        // fixed 2,048 per client grew once in a 5 s run of 1,000 clients (2.4M trips), ~13 B per trip counted against
        // the library. A timed run is sized for 1M trips/s, twice the most seen on the 2-core machine.
        long expected = options.Trips ?? (long)((options.Duration?.TotalSeconds ?? 1) * MostTripsPerSecond);
        int perClient = (int)Math.Clamp(expected / options.Clients + 1, 2048, int.MaxValue / 16);
        _latencies = new List<long>[options.Clients];
        for (int i = 0; i < _latencies.Length; i++)
        {
            _latencies[i] = new List<long>(perClient);
        }
        _running = options.Clients;
        _start = Stopwatch.GetTimestamp();
        _deadline = options.Duration is TimeSpan d ? _start + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
    }

    /// <summary>Set once every client has finished.</summary>
    public ManualResetEventSlim Done { get; } = new();

    /// <summary>True when another round trip may start (trip budget or time left, and no fatal failure).</summary>
    public bool TryStart() =>
        Volatile.Read(ref _failure) is null
        && (_options.Trips is long trips ? Interlocked.Increment(ref _started) <= trips : Stopwatch.GetTimestamp() < _deadline);

    /// <summary>Writes client <paramref name="client"/>'s id for request <paramref name="sequence"/> into the first 12 bytes of <paramref name="body"/>.</summary>
    public static void WriteId(Span<byte> body, int client, long sequence)
    {
        BinaryPrimitives.WriteInt32LittleEndian(body, client);
        BinaryPrimitives.WriteInt64LittleEndian(body[4..], sequence);
    }

    /// <summary>Records a reply: its latency when <paramref name="reply"/> echoes <paramref name="request"/>, else a mismatch.</summary>
    public void Reply(int client, long startTimestamp, ReadOnlySpan<byte> request, ReadOnlySpan<byte> reply)
    {
        if (!reply.SequenceEqual(request))
        {
            Interlocked.Increment(ref _mismatched);
            return;
        }
        // Each client appends only to its own list, one round trip at a time.
        _latencies[client].Add(Stopwatch.GetTimestamp() - startTimestamp);
        if (Interlocked.Increment(ref _completed) == _steadyAfter)
        {
            _steadyMark = AllocationSample.Mark();
            Volatile.Write(ref _steadyCompleted, _steadyAfter);
            _onSteady();
        }
    }

    public void Lost() => Interlocked.Increment(ref _lost);

    /// <summary>Stops the run: every client ends after its current round trip; the run reports this message.</summary>
    public void Fail(string message) => Interlocked.CompareExchange(ref _failure, message, null);

    /// <summary>A client has stopped; the last one stops the clock.</summary>
    public void Finished()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            Volatile.Write(ref _finishedAt, Stopwatch.GetTimestamp());
            Done.Set();
        }
    }

    /// <summary>Waits for every client, bounded, and reports the run (<c>trips</c>, <c>seconds</c>, <c>lost</c>, <c>mismatched</c>, <c>p50</c>/<c>p99</c>/<c>p999</c> µs, and the clients' <c>bytes</c> and <c>gen0</c> over <c>steadyTrips</c> round trips in steady state); throws on a stall or a fatal failure.</summary>
    public void Report(SideLink link, TimeSpan limit)
    {
        if (!Done.Wait(limit))
        {
            Fail("stalled");
            throw new BenchException($"reqrep: {Volatile.Read(ref _running)} of {_options.Clients} clients still running after {limit.TotalSeconds:F0} s");
        }
        if (Volatile.Read(ref _failure) is string failure)
        {
            throw new BenchException($"reqrep: {failure}");
        }
        long steady = Volatile.Read(ref _steadyCompleted);
        AllocationSample allocation = steady < 0
            ? new AllocationSample(0, 0, 0) // too short to reach steady state: nothing measured
            : AllocationSample.Since(_steadyMark, Interlocked.Read(ref _completed) - steady);
        long[] all = [.. _latencies.SelectMany(l => l)];
        Array.Sort(all);
        double toMicros = 1e6 / Stopwatch.Frequency;
        link.Report("trips", all.Length);
        link.Report("seconds", Stopwatch.GetElapsedTime(_start, Volatile.Read(ref _finishedAt)).TotalSeconds);
        link.Report("lost", Interlocked.Read(ref _lost));
        link.Report("mismatched", Interlocked.Read(ref _mismatched));
        link.Report("p50", Percentiles.Of(all, 0.50) * toMicros);
        link.Report("p99", Percentiles.Of(all, 0.99) * toMicros);
        link.Report("p999", Percentiles.Of(all, 0.999) * toMicros);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
        link.Report("steadyTrips", allocation.Messages);
    }
}

