using Xunit.Abstractions;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

/// <summary>
/// Sends and receives with a timeout that have to wait: what they report, and what they allocate. Runs alone
/// (<see cref="SpNet.Tests.Protocols.Routing.SerialAllocation"/>): its allocation figure reads the process-wide counter,
/// and beside other test classes under .ci/stress it read 30.4 B per round trip in the best of four windows.
/// </summary>
[Collection(nameof(SpNet.Tests.Protocols.Routing.SerialAllocation))]
public class TimedWaitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_receive_that_times_out_reports_TimedOut_and_the_next_one_on_the_same_context_works()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        await using var req = new ReqSocket();
        req.Dial(url);
        await using ReqContext context = req.OpenContext();
        context.ReceiveTimeout = TimeSpan.FromMilliseconds(200);

        await context.SendAsync("unanswered"u8.ToArray());
        ValueTask<Message> waiting = context.ReceiveAsync();
        Assert.False(waiting.IsCompleted);
        var error = await Assert.ThrowsAsync<SpNetException>(() => waiting.AsTask());
        Assert.Equal(SpError.TimedOut, error.Error);
        using (Message request = await rep.ReceiveAsync())
        {
        }

        context.ReceiveTimeout = TimeSpan.FromSeconds(30);
        await context.SendAsync("answered"u8.ToArray());
        ValueTask<Message> reply = context.ReceiveAsync();
        await rep.SendAsync(await rep.ReceiveAsync());
        using Message answer = await reply;
        Assert.Equal("answered"u8.ToArray(), answer.Body.ToArray());
    }

    [Fact]
    public async Task The_callers_token_cancels_a_timed_receive_as_a_cancellation_not_a_timeout()
    {
        string url = $"inproc://timed-{Guid.NewGuid():N}";
        await using var rep = new RepSocket();
        rep.Listen(url);
        await using var req = new ReqSocket { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        req.Dial(url);
        await req.SendAsync("x"u8.ToArray());
        using var cts = new CancellationTokenSource();
        ValueTask<Message> waiting = req.ReceiveAsync(cts.Token);
        Assert.False(waiting.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.AsTask());
    }

    [Fact]
    public async Task Contexts_whose_timed_receives_wait_allocate_nothing_per_round_trip_in_steady_state()
    {
        const int Contexts = 64;
        string url = $"inproc://timed-{Guid.NewGuid():N}";
        await using var rep = new RepSocket();
        rep.Listen(url);
        await using var req = new ReqSocket();
        req.Dial(url);
        await req.WaitForPipesAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        var contexts = new ReqContext[Contexts];
        for (int i = 0; i < contexts.Length; i++)
        {
            contexts[i] = req.OpenContext();
            contexts[i].ReceiveTimeout = TimeSpan.FromSeconds(30);
            contexts[i].SendTimeout = TimeSpan.FromSeconds(30);
        }
        byte[] body = new byte[16];

        // Every context sends, then all wait for their replies at once, which one REP answers in order: each
        // receive suspends, as 1,000 REQ contexts' do against a busy server.
        async Task<double> Rounds(int rounds)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var receives = new ValueTask<Message>[Contexts];
            for (int round = 0; round < rounds; round++)
            {
                for (int i = 0; i < Contexts; i++)
                {
                    await contexts[i].SendAsync(body);
#pragma warning disable CA2012 // each stored once and awaited once below
                    receives[i] = contexts[i].ReceiveAsync();
#pragma warning restore CA2012
                }
                for (int i = 0; i < Contexts; i++)
                {
                    Message request = await rep.ReceiveAsync();
                    await rep.SendAsync(request);
                }
                for (int i = 0; i < Contexts; i++)
                {
                    (await receives[i]).Dispose();
                }
            }
            return (double)(GC.GetTotalAllocatedBytes(precise: true) - before) / (rounds * Contexts);
        }

        await Rounds(50); // warm up (JIT, pools)
        // The counter is process-wide: other tests' background work can land in a window, so take the best of a few.
        double perTrip = double.MaxValue;
        for (int attempt = 0; attempt < 4 && perTrip >= 8; attempt++)
        {
            perTrip = Math.Min(perTrip, await Rounds(100));
        }
        output.WriteLine($"bytes allocated per round trip: {perTrip:F1}");
        Assert.True(perTrip < 8, $"{perTrip:F1} B per round trip");
        foreach (ReqContext context in contexts)
        {
            await context.DisposeAsync();
        }
    }
}
