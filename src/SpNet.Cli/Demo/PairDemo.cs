using System.Diagnostics;

namespace SpNet.Cli.Demo;

/// <summary>PAIR0: one socket listens, one dials; both send and receive at the same time.</summary>
internal static class PairDemo
{
    /// <summary>Sends <see cref="DemoSettings.Messages"/> each way concurrently and checks both streams arrive whole and in order.</summary>
    public static async Task<DemoOutcome> RunAsync(DemoSockets sockets, DemoTransport transport, DemoSettings settings, CancellationToken cancellationToken)
    {
        PairSocket left = sockets.Add(new PairSocket());
        PairSocket right = sockets.Add(new PairSocket());
        await DemoSockets.ConnectAsync(transport, left, "pair", cancellationToken, right).ConfigureAwait(false);

        int n = settings.Messages;
        var leftToRight = new StreamCheck("left->right", n);
        var rightToLeft = new StreamCheck("right->left", n);
        long start = Stopwatch.GetTimestamp();
        await Concurrently.RunAsync(
            cancellationToken,
            ct => Payload.SendAllAsync(left, "L>R", n, settings.Size, ct),
            ct => Payload.SendAllAsync(right, "R>L", n, settings.Size, ct),
            ct => ReceiveAsync(right, "L>R", leftToRight, settings.Size, ct),
            ct => ReceiveAsync(left, "R>L", rightToLeft, settings.Size, ct)).ConfigureAwait(false);
        string rate = Figures.Rate(2L * n, start);
        return new DemoOutcome($"2x{Figures.Count(n)}", rate, "both directions whole, in order");
    }

    private static async Task ReceiveAsync(PairSocket socket, string prefix, StreamCheck check, int size, CancellationToken cancellationToken)
    {
        try
        {
            while (!check.IsComplete)
            {
                using Message message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                check.Accept(Payload.Read(message.Body, prefix, size));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw check.TimedOut();
        }
    }
}
