namespace SpNet.Bench.Harness.Sides;

/// <summary>
/// A short PUB/SUB flood over loopback tcp inside a side's own process, before its case starts: the measured run
/// then meets code the JIT has already optimised, as a long-running service's would. Without it a fresh .NET process
/// (SpNet, NetMQ) ran its first messages through tier-0 code, and a 0.4 s paced run at 250k msg/s lost two thirds of
/// them to that. Every library runs it, so the native peers get the same treatment (it changes nothing for them).
/// </summary>
internal static class PubSubWarmUp
{
    /// <summary>Messages flooded; enough for the runtime to promote the send and receive paths (30 calls, then a rejit).</summary>
    private const int Messages = 100_000;

    /// <summary>The subscriber stops after this much silence.</summary>
    private const int SilenceMs = 200;

    public static void Run(Library library, int size)
    {
        using BenchSocket pub = BenchSocket.Open(library, SocketKind.Pub);
        using BenchSocket sub = BenchSocket.Open(library, SocketKind.Sub);
        pub.SetQueueDepth(1024);
        sub.SetQueueDepth(1024);
        sub.Subscribe([]);
        string url = pub.Listen(Addresses.For("tcp"));
        sub.Dial(url);
        byte[] body = new byte[Math.Max(size, 1)];
        byte[] buffer = new byte[body.Length];
        sub.SetReceiveTimeout(5);
        long deadline = Environment.TickCount64 + (long)SideLink.SignalLimit.TotalMilliseconds;
        while (!Arrived(pub, sub, body, buffer))
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new BenchException("warm-up: the in-process subscriber never received a message");
            }
        }
        sub.SetReceiveTimeout(SilenceMs);
        Task reader = Workers.Start(library, "warm-up", async () =>
        {
            while (true)
            {
                try
                {
                    await sub.ReceiveAsync(buffer);
                }
                catch (BenchTimeoutException)
                {
                    return;
                }
            }
        });
        for (int i = 0; i < Messages; i++)
        {
            pub.Send(body);
        }
        Workers.Join(SideLink.SignalLimit, "warm-up subscriber", reader);
    }

    private static bool Arrived(BenchSocket pub, BenchSocket sub, byte[] body, byte[] buffer)
    {
        pub.Send(body);
        try
        {
            sub.Receive(buffer);
            return true;
        }
        catch (BenchTimeoutException)
        {
            return false;
        }
    }
}
