using System.Diagnostics;

namespace SpNet.Cli.Demo;

/// <summary>PUSH/PULL: one PUSH listens, two PULLs dial; PUSH deals messages out in turn.</summary>
internal static class PushPullDemo
{
    /// <summary>
    /// Pushes <see cref="DemoSettings.Messages"/> messages and checks that each arrives exactly once, that each PULL
    /// sees its share in sending order (order is per pipe), and that both PULLs got a share.
    /// </summary>
    public static async Task<DemoOutcome> RunAsync(DemoSockets sockets, DemoTransport transport, DemoSettings settings, CancellationToken cancellationToken)
    {
        PushSocket push = sockets.Add(new PushSocket());
        PullSocket pullA = sockets.Add(new PullSocket());
        PullSocket pullB = sockets.Add(new PullSocket());
        await DemoSockets.ConnectAsync(transport, push, "pipeline", cancellationToken, pullA, pullB).ConfigureAwait(false);

        int n = settings.Messages;
        var seen = new int[n];
        int total = 0;
        int gotA = 0, gotB = 0;
        using var allIn = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long start = Stopwatch.GetTimestamp();
        await Concurrently.RunAsync(
            cancellationToken,
            ct => Payload.SendAllAsync(push, "job", n, settings.Size, ct),
            async ct => gotA = await ReceiveAsync(pullA, "pull A", ct).ConfigureAwait(false),
            async ct => gotB = await ReceiveAsync(pullB, "pull B", ct).ConfigureAwait(false)).ConfigureAwait(false);
        string rate = Figures.Rate(n, start);

        ExpectNothingMore(pullA, "pull A");
        ExpectNothingMore(pullB, "pull B");
        if (gotA == 0 || gotB == 0)
        {
            throw new DemoCheckException($"no round robin: split {gotA}/{gotB}");
        }
        return new DemoOutcome(Figures.Count(n), rate, $"each once; split {Figures.Count(gotA)}/{Figures.Count(gotB)}, in order per pull");

        // Each PULL takes what it is dealt until all n are in; the PULL that did not take the last one is still
        // waiting, so the last arrival cancels it.
        async Task<int> ReceiveAsync(PullSocket pull, string name, CancellationToken ct)
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, allIn.Token);
            int got = 0;
            int previous = -1;
            while (Volatile.Read(ref total) < n)
            {
                Message message;
                try
                {
                    message = await pull.ReceiveAsync(linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (allIn.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    break;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw new DemoCheckException($"timed out after {Volatile.Read(ref total)} of {n} messages ({name} had {got})");
                }
                using (message)
                {
                    int sequence = Payload.Read(message.Body, "job", settings.Size);
                    if (sequence < 0 || sequence >= n || Interlocked.Exchange(ref seen[sequence], 1) != 0)
                    {
                        throw new DemoCheckException($"{name}: message #{sequence} unexpected or delivered twice");
                    }
                    if (sequence <= previous)
                    {
                        throw new DemoCheckException($"{name}: #{sequence} after #{previous} (out of order)");
                    }
                    previous = sequence;
                    got++;
                }
                if (Interlocked.Increment(ref total) == n)
                {
                    await allIn.CancelAsync().ConfigureAwait(false);
                }
            }
            return got;
        }
    }

    private static void ExpectNothingMore(PullSocket pull, string name)
    {
        if (pull.TryReceive(out Message? extra))
        {
            using (extra)
            {
                throw new DemoCheckException($"{name}: an extra message after all had arrived");
            }
        }
    }
}
