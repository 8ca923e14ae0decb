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
            ct => leftToRight.ReceiveAllAsync(right, m => Payload.Read(m.Body, "L>R", settings.Size), ct),
            ct => rightToLeft.ReceiveAllAsync(left, m => Payload.Read(m.Body, "R>L", settings.Size), ct)).ConfigureAwait(false);
        string rate = Figures.Rate(2L * n, start);
        return new DemoOutcome($"2x{Figures.Count(n)}", rate, "both directions whole, in order");
    }
}
