using System.Buffers.Binary;
using System.Diagnostics;

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
    AllocationSample Allocation)
{
    public double TripsPerSecond => Elapsed > TimeSpan.Zero ? Trips / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Counts shared by a run's clients. Each request carries its client's index and a sequence number in its body and
/// the reply must echo the body exactly; a reply that does not is mismatched, one that does not come within
/// <see cref="ReqRepOptions.ReplyTimeout"/> is lost.
/// </summary>
internal sealed class ReqRepTally
{
    private readonly ReqRepOptions _options;
    private readonly List<long>[] _latencies;
    private readonly long _deadline;
    private readonly long _start;
    private readonly (long Bytes, int Gen0) _allocationMark;
    private long _started;
    private long _lost;
    private long _mismatched;
    private long _finishedAt;
    private int _running;
    private string? _failure;

    public ReqRepTally(ReqRepOptions options)
    {
        _options = options;
        _latencies = new List<long>[options.Clients];
        for (int i = 0; i < _latencies.Length; i++)
        {
            _latencies[i] = new List<long>(256);
        }
        _running = options.Clients;
        _allocationMark = AllocationSample.Mark();
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

    /// <summary>Waits for every client, bounded; throws on a stall or a fatal failure.</summary>
    public ReqRepResult Result(TimeSpan limit)
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
        AllocationSample allocation = AllocationSample.Since(_allocationMark, 0);
        long[] all = [.. _latencies.SelectMany(l => l)];
        Array.Sort(all);
        double toMicros = 1e6 / Stopwatch.Frequency;
        return new ReqRepResult(
            _options,
            all.Length,
            Stopwatch.GetElapsedTime(_start, Volatile.Read(ref _finishedAt)),
            Interlocked.Read(ref _lost),
            Interlocked.Read(ref _mismatched),
            Percentile(all, 0.50) * toMicros,
            Percentile(all, 0.99) * toMicros,
            Percentile(all, 0.999) * toMicros,
            allocation with { Messages = all.Length });
    }

    private static double Percentile(long[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// <c>spbench reqrep</c>: one REP socket listening with W contexts echoing, C REQ clients each doing round trips in a loop.
/// </summary>
/// <remarks>
/// SpNet: the clients always run as async loops on the thread pool (one thread each would be 1,000 threads); "sync"
/// and "async" differ in the REP workers, which are W dedicated threads making blocking context calls, or W async
/// loops. NNG: see <see cref="NngReqRep"/>. nanomsg has no contexts (a REP socket answers one request at a time; only
/// raw sockets and a hand-made router could serve many), so it has no run.
/// </remarks>
internal static class ReqRepRuns
{
    /// <summary>How long the clients may take beyond the run's own length before it counts as stalled.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public const string NanomsgReason = "nanomsg has no contexts: its REP socket answers one request at a time";

    public static ReqRepResult Run(Library library, ReqRepOptions options)
    {
        if (options.Size < ReqRepOptions.IdSize)
        {
            throw new BenchException($"reqrep: --size must be at least {ReqRepOptions.IdSize} (the request id)");
        }
        if (options.Clients < 1 || options.Workers < 1)
        {
            throw new BenchException("reqrep: --clients and --workers must be at least 1");
        }
        return library switch
        {
            Library.SpNet => SpNet(options, asyncWorkers: false),
            Library.SpNetAsync => SpNet(options, asyncWorkers: true),
            Library.Nng => NngReqRep.Run(options, Limit(options)),
            Library.Nanomsg => throw new BenchException($"n/a: {NanomsgReason}"),
            _ => throw new ArgumentOutOfRangeException(nameof(library)),
        };
    }

    /// <summary>The longest a run may take: its duration (or a generous bound for a trip count) plus <see cref="Grace"/>.</summary>
    public static TimeSpan Limit(ReqRepOptions options) =>
        (options.Duration ?? TimeSpan.FromSeconds(600)) + Grace;

    private static ReqRepResult SpNet(ReqRepOptions options, bool asyncWorkers)
    {
        using var rep = new RepSocket();
        string url = rep.Listen(Addresses.For(options.Transport)).Url;
        var reqs = new List<ReqSocket>();
        var workers = new List<Task>();
        try
        {
            for (int w = 0; w < options.Workers; w++)
            {
                SocketContext context = rep.OpenContext();
                workers.Add(asyncWorkers
                    ? Task.Run(() => EchoAsync(context))
                    : Workers.Start(Library.SpNet, $"rep{w}", () =>
                    {
                        Echo(context);
                        return Task.CompletedTask;
                    }));
            }
            int sockets = options.Sockets ? options.Clients : 1;
            for (int i = 0; i < sockets; i++)
            {
                var req = new ReqSocket();
                reqs.Add(req);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                req.DialAsync(url, timeout.Token).AsTask().GetAwaiter().GetResult();
            }

            var tally = new ReqRepTally(options);
            for (int c = 0; c < options.Clients; c++)
            {
                int client = c;
                ReqSocket req = reqs[options.Sockets ? c : 0];
                _ = Task.Run(() => ClientAsync(tally, client, req, options));
            }
            return tally.Result(Limit(options));
        }
        finally
        {
            foreach (ReqSocket req in reqs)
            {
                req.Dispose();
            }
            rep.Dispose(); // ends the workers' receives with Closed
            Task.WaitAll([.. workers], TimeSpan.FromSeconds(10));
            Addresses.CleanUp(url);
        }
    }

    private static async Task ClientAsync(ReqRepTally tally, int client, ReqSocket req, ReqRepOptions options)
    {
        SocketContext? context = null;
        try
        {
            if (options.Sockets)
            {
                req.ReceiveTimeout = ReqRepOptions.ReplyTimeout;
                req.SendTimeout = ReqRepOptions.ReplyTimeout;
            }
            else
            {
                context = req.OpenContext();
                context.ReceiveTimeout = ReqRepOptions.ReplyTimeout;
                context.SendTimeout = ReqRepOptions.ReplyTimeout;
            }
            byte[] body = new byte[options.Size];
            for (long sequence = 0; tally.TryStart(); sequence++)
            {
                ReqRepTally.WriteId(body, client, sequence);
                long start = Stopwatch.GetTimestamp();
                try
                {
                    Message reply;
                    if (context is not null)
                    {
                        await context.SendAsync(body).ConfigureAwait(false);
                        reply = await context.ReceiveAsync().ConfigureAwait(false);
                    }
                    else
                    {
                        await req.SendAsync(body).ConfigureAwait(false);
                        reply = await req.ReceiveAsync().ConfigureAwait(false);
                    }
                    using (reply)
                    {
                        tally.Reply(client, start, body, reply.Body);
                    }
                }
                catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
                {
                    tally.Lost();
                }
            }
        }
        catch (Exception ex)
        {
            tally.Fail($"client {client}: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            context?.Dispose();
            tally.Finished();
        }
    }

    /// <summary>A REP worker on its own thread: blocking receive, echo, until the socket closes.</summary>
    private static void Echo(SocketContext context)
    {
        using (context)
        {
            while (true)
            {
                Message request;
                try
                {
                    request = context.Receive();
                }
                catch (SpNetException)
                {
                    return; // closed
                }
                try
                {
                    context.Send(request);
                }
                catch (SpNetException)
                {
                    request.Dispose();
                    if (context.IsClosed || context.Socket.IsClosed)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>A REP worker as an async loop: receive, echo, until the socket closes.</summary>
    private static async Task EchoAsync(SocketContext context)
    {
        await using (context.ConfigureAwait(false))
        {
            while (true)
            {
                Message request;
                try
                {
                    request = await context.ReceiveAsync().ConfigureAwait(false);
                }
                catch (SpNetException)
                {
                    return;
                }
                try
                {
                    await context.SendAsync(request).ConfigureAwait(false);
                }
                catch (SpNetException)
                {
                    request.Dispose();
                    if (context.IsClosed || context.Socket.IsClosed)
                    {
                        return;
                    }
                }
            }
        }
    }
}
