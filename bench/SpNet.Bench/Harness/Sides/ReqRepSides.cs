using System.Diagnostics;

namespace SpNet.Bench.Harness.Sides;

/// <summary>
/// The two sides of a <c>reqrep</c> case: one REP socket listening with W worker contexts echoing, and C REQ clients
/// (contexts on one REQ socket, or a socket each) doing round trips in a loop until the time or trip budget is spent.
/// </summary>
/// <remarks>
/// SpNet: the clients always run as async loops on the thread pool (one thread each would be 1,000 threads); "sync"
/// and "async" differ in the REP workers, which are W dedicated threads making blocking context calls, or W async
/// loops. NNG: see <see cref="NngReqRep"/>. nanomsg and NetMQ have no contexts (a REP socket answers one request at a
/// time; only raw sockets and a hand-made router could serve many), so they have no run.
/// </remarks>
internal static class ReqRepSides
{
    /// <summary>How long the clients may take beyond the run's own length before it counts as stalled.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public const string NoContextsReason = "no contexts: its REP socket answers one request at a time";

    /// <summary>Why <paramref name="library"/> has no reqrep run, or null when it has one.</summary>
    public static string? Unsupported(Library library) => library is Library.Nanomsg or Library.NetMQ
        ? $"{Patterns.DisplayName(library)} has {NoContextsReason}"
        : null;

    public static void Validate(ReqRepOptions options)
    {
        if (options.Size < ReqRepOptions.IdSize)
        {
            throw new BenchException($"reqrep: --size must be at least {ReqRepOptions.IdSize} (the request id)");
        }
        if (options.Clients < 1 || options.Workers < 1)
        {
            throw new BenchException("reqrep: --clients and --workers must be at least 1");
        }
    }

    /// <summary>The longest a run may take: its duration (or a generous bound for a trip count) plus <see cref="Grace"/>.</summary>
    public static TimeSpan Limit(ReqRepOptions options) =>
        (options.Duration ?? TimeSpan.FromSeconds(600)) + Grace;

    /// <summary>The REP side: serves until the clients say "done"; reports <c>bytes</c> and <c>gen0</c> allocated from their "started" to their "done".</summary>
    public static void Serve(SideLink link, Library library, ReqRepOptions options, string url)
    {
        switch (library)
        {
            case Library.SpNet:
            case Library.SpNetAsync:
                ServeSpNet(link, options, url, asyncWorkers: library == Library.SpNetAsync);
                break;
            case Library.Nng:
                NngReqRep.Serve(link, options, url);
                break;
            default:
                throw new BenchException($"n/a: {Unsupported(library)}");
        }
    }

    /// <summary>The REQ side: reports what <see cref="ReqRepTally.Report"/> lists, then says "done".</summary>
    public static void Clients(SideLink link, Library library, ReqRepOptions options, string url)
    {
        switch (library)
        {
            case Library.SpNet:
            case Library.SpNetAsync:
                ClientsSpNet(link, options, url);
                break;
            case Library.Nng:
                NngReqRep.Clients(link, options, url);
                break;
            default:
                throw new BenchException($"n/a: {Unsupported(library)}");
        }
    }

    /// <summary>From the clients' "steady" to their "done": what the serving side allocated meanwhile.</summary>
    public static void MeasureWhileServed(SideLink link)
    {
        link.WaitFor("steady");
        var mark = AllocationSample.Mark();
        link.WaitFor("done");
        AllocationSample allocation = AllocationSample.Since(mark, 0);
        link.Report("bytes", allocation.Bytes);
        link.Report("gen0", allocation.Gen0);
    }

    private static void ServeSpNet(SideLink link, ReqRepOptions options, string url, bool asyncWorkers)
    {
        var workers = new List<Task>();
        using (var rep = new RepSocket())
        {
            link.Ready(rep.Listen(url).Url);
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
            MeasureWhileServed(link);
        } // closing ends the workers' receives with Closed
        Task.WaitAll([.. workers], TimeSpan.FromSeconds(10));
    }

    private static void ClientsSpNet(SideLink link, ReqRepOptions options, string url)
    {
        var reqs = new List<ReqSocket>();
        try
        {
            int sockets = options.Sockets ? options.Clients : 1;
            for (int i = 0; i < sockets; i++)
            {
                var req = new ReqSocket();
                reqs.Add(req);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                req.DialAsync(url, timeout.Token).AsTask().GetAwaiter().GetResult();
            }
            var tally = Tally(link, options);
            for (int c = 0; c < options.Clients; c++)
            {
                int client = c;
                ReqSocket req = reqs[options.Sockets ? c : 0];
                _ = Task.Run(() => ClientAsync(tally, client, req, options));
            }
            Finish(link, tally, options);
        }
        finally
        {
            foreach (ReqSocket req in reqs)
            {
                req.Dispose();
            }
        }
    }

    /// <summary>A tally that tells the serving side when steady state begins (and, if the run never gets there, at its end).</summary>
    public static ReqRepTally Tally(SideLink link, ReqRepOptions options) => new(options, () => link.Signal("steady"));

    /// <summary>Reports the clients' figures and lets the serving side stop measuring.</summary>
    public static void Finish(SideLink link, ReqRepTally tally, ReqRepOptions options)
    {
        try
        {
            tally.Report(link, Limit(options));
        }
        finally
        {
            if (!link.Reports.ContainsKey("steadyTrips") || link.Reports["steadyTrips"] == 0)
            {
                link.Signal("steady"); // never reached: the serving side must not wait for it
            }
            link.Signal("done");
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
