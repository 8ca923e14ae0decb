using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Regression: SpNet's REQ used to clear "request outstanding" before queueing the reply, so a ReceiveAsync that
/// ran in between threw IncorrectState ("no request is outstanding"). nngcat answers within tens of microseconds on
/// loopback; pausing a random 0–300 µs between send and receive lands the receive in that window within a few
/// thousand round trips (it failed 3 runs of 3 before the fix, typically between round trips 1,400 and 3,400).
/// </summary>
public sealed class ReqRaceInteropTests
{
    [PeerFact(Peers.NngCat)]
    public async Task SpNetReq_ReceiveRacingTheReply_AlwaysGetsIt()
    {
        const int roundTrips = 5000;
        Cat cat = Cat.For(Peers.NngCat);
        await using var req = new ReqSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        var link = new Link(req, Side.SpNetListens);
        await using PeerProcess peer = link.Start(cat, "--rep", "--data", "pong");

        for (int i = 0; i < roundTrips; i++)
        {
            await peer.GuardAsync(req.SendTextAsync("ping"), what: $"send {i}");
            SpinFor(TimeSpan.FromMicroseconds(Random.Shared.Next(0, 300)));
            string reply;
            try
            {
                reply = await peer.GuardAsync(req.ReceiveTextAsync(), what: $"reply {i}");
            }
            catch (SpNetException ex)
            {
                throw new InvalidOperationException($"round trip {i} of {roundTrips}: {ex.Message}", ex);
            }
            Assert.Equal("pong", reply);
        }
    }

    private static void SpinFor(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            Thread.SpinWait(10);
        }
    }
}
