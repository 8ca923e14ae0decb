using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class PushPullTests
{
    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task Push_round_robins_evenly_across_two_ready_pulls(string transport)
    {
        await using var push = new PushSocket();
        await using var pull1 = new PullSocket();
        await using var pull2 = new PullSocket();
        string url = push.Listen(Addresses.For(transport, "rr")).Url;
        pull1.Dial(url);
        pull2.Dial(url);
        await push.WaitForPipeCountAsync(2);
        const int count = 20;
        for (int i = 0; i < count; i++)
        {
            await push.SendTextAsync(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        await Eventually.True(() => pull1.Statistics.MessagesReceived + pull2.Statistics.MessagesReceived == count, "all messages arrived");
        List<int> a = Drain(pull1);
        List<int> b = Drain(pull2);
        Assert.Equal(count / 2, a.Count);
        Assert.Equal(count / 2, b.Count);
        // Strict alternation: each pull holds every other message.
        Assert.True(a.Zip(a.Skip(1)).All(p => p.Second - p.First == 2), string.Join(",", a));
        Assert.True(b.Zip(b.Skip(1)).All(p => p.Second - p.First == 2), string.Join(",", b));
    }

    private static List<int> Drain(PullSocket pull)
    {
        var got = new List<int>();
        while (pull.TryReceive(out Message? m))
        {
            got.Add(int.Parse(m.ToString(), System.Globalization.CultureInfo.InvariantCulture));
            m.Dispose();
        }
        return got;
    }

    [Fact]
    public async Task Push_with_no_peer_blocks_then_times_out()
    {
        await using var push = new PushSocket { SendTimeout = TimeSpan.FromMilliseconds(200) };
        await push.AssertSendTimesOutAsync(notBefore: TimeSpan.FromMilliseconds(170));
        Assert.False(push.TrySend("y"u8));

        push.SendTimeout = TimeSpan.Zero; // zero = do not wait at all
        Assert.Equal(SpError.TimedOut, Assert.Throws<SpNetException>(() => push.Send("z"u8)).Error);
    }

    [Fact]
    public async Task Push_waiting_for_a_peer_sends_when_one_arrives()
    {
        await using var push = new PushSocket();
        await using var pull = new PullSocket();
        await push.AssertSendWaitsForAPeerAsync(pull, "patience", dialFirst: false);
    }

    [Fact]
    public async Task Cancelled_send_throws_OperationCanceled_not_TimedOut()
    {
        await using var push = new PushSocket { SendTimeout = TimeSpan.FromSeconds(10) };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => push.SendAsync("x"u8.ToArray(), cts.Token).AsTask().WaitAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Pull_fair_queues_two_pushers()
    {
        await using var pull = new PullSocket();
        await using var pushA = new PushSocket();
        await using var pushB = new PushSocket();
        await pull.ConnectTcpAsync(pushA, pushB);
        const int each = 400;
        Task sendA = Task.Run(async () => { for (int i = 0; i < each; i++) { await pushA.SendAsync(System.Text.Encoding.UTF8.GetBytes($"A{i}")); } });
        Task sendB = Task.Run(async () => { for (int i = 0; i < each; i++) { await pushB.SendAsync(System.Text.Encoding.UTF8.GetBytes($"B{i}")); } });

        // Both pushers hand everything to TCP (the PULL's pipes absorb it), and the PULL's queue (128) fills with both
        // pipes' read loops waiting on it (128 + one each): only then does the order of reads show the queueing policy.
        await Eventually.Within(Task.WhenAll(sendA, sendB), "both pushers handed off their messages");
        await Eventually.True(() => pull.Statistics.MessagesReceived >= 130, $"PULL queue saturated ({pull.Statistics})");
        var order = new List<string>();
        for (int i = 0; i < 2 * each; i++)
        {
            order.Add(await pull.ReceiveTextAsync());
        }

        // Per-pipe order is kept.
        Assert.Equal(Enumerable.Range(0, each).Select(i => $"A{i}"), order.Where(s => s[0] == 'A'));
        Assert.Equal(Enumerable.Range(0, each).Select(i => $"B{i}"), order.Where(s => s[0] == 'B'));
        // Neither pusher waits for the other to finish: with both pipes waiting on a full queue they take turns.
        // (A pipe whose next frame needs another socket read can miss a few turns, so the window is generous.)
        List<string> early = order.Take(600).ToList();
        int fromA = early.Count(s => s[0] == 'A');
        int fromB = early.Count(s => s[0] == 'B');
        Assert.True(fromA >= 100 && fromB >= 100, $"first 600: {fromA} from A, {fromB} from B");
    }

    [Fact]
    public async Task Push_cannot_receive_and_pull_cannot_send()
    {
        await using var push = new PushSocket();
        await using var pull = new PullSocket();
        Assert.Equal(SpError.NotSupported, (await Assert.ThrowsAsync<SpNetException>(() => push.ReceiveAsync().AsTask())).Error);
        Assert.Equal(SpError.NotSupported, (await Assert.ThrowsAsync<SpNetException>(() => pull.SendAsync("x"u8.ToArray()).AsTask())).Error);
    }

    [Fact]
    public async Task Anything_a_pull_sends_is_dropped_and_the_pipe_kept()
    {
        await using var push = new PushSocket();
        string url = push.ListenTcp();
        using (RawSpPeer peer = await push.ConnectRawPeerAsync(url, 0x51))
        {
            await peer.SendFrameAsync("unwanted"u8);
            await Eventually.True(() => push.Statistics.MessagesDropped == 1, "dropped");
            await push.SendTextAsync("work");
            Assert.Equal(RawSpPeer.Frame("work"u8), await peer.ReceiveExactlyAsync(12));
        }
    }
}
