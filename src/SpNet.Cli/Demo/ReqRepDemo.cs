using System.Diagnostics;
using System.Globalization;

namespace SpNet.Cli.Demo;

/// <summary>REQ/REP: a REP listens and answers; a REQ dials and makes one request at a time.</summary>
internal static class ReqRepDemo
{
    /// <summary>
    /// Makes <see cref="DemoSettings.RoundTrips"/> requests; the REP checks each request and answers with the same
    /// sequence number, and the REQ checks each reply matches the request it sent. Reports the mean round trip.
    /// </summary>
    public static async Task<DemoOutcome> RunAsync(DemoSockets sockets, DemoTransport transport, DemoSettings settings, CancellationToken cancellationToken)
    {
        RepSocket rep = sockets.Add(new RepSocket());
        ReqSocket req = sockets.Add(new ReqSocket());
        await DemoSockets.ConnectAsync(transport, rep, "reqrep", cancellationToken, req).ConfigureAwait(false);

        int n = settings.RoundTrips;
        var requests = new StreamCheck("rep", n);
        var replies = new StreamCheck("req", n);
        long busyTicks = 0;
        long maxTicks = 0;
        await Concurrently.RunAsync(
            cancellationToken,
            async ct =>
            {
                try
                {
                    while (!requests.IsComplete)
                    {
                        int sequence;
                        using (Message request = await rep.ReceiveAsync(ct).ConfigureAwait(false))
                        {
                            sequence = Payload.Read(request.Body, "req", settings.Size);
                        }
                        requests.Accept(sequence);
                        await rep.SendAsync(Payload.Create("rep", sequence, settings.Size), ct).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw requests.TimedOut();
                }
            },
            async ct =>
            {
                try
                {
                    for (int i = 0; i < n; i++)
                    {
                        long start = Stopwatch.GetTimestamp();
                        await req.SendAsync(Payload.Create("req", i, settings.Size), ct).ConfigureAwait(false);
                        using (Message reply = await req.ReceiveAsync(ct).ConfigureAwait(false))
                        {
                            replies.Accept(Payload.Read(reply.Body, "rep", settings.Size));
                        }
                        long ticks = Stopwatch.GetTimestamp() - start;
                        busyTicks += ticks;
                        maxTicks = Math.Max(maxTicks, ticks);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw replies.TimedOut();
                }
            }).ConfigureAwait(false);
        double meanMicroseconds = busyTicks * 1e6 / Stopwatch.Frequency / n;
        double maxMicroseconds = maxTicks * 1e6 / Stopwatch.Frequency;
        return new DemoOutcome(
            Figures.Count(n),
            string.Create(CultureInfo.InvariantCulture, $"{meanMicroseconds:N1} µs mean RTT"),
            string.Create(CultureInfo.InvariantCulture, $"every reply matched; max {maxMicroseconds:N0} µs"));
    }
}
