using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class ReqTests
{
    private const ushort RepId = 0x31;

    /// <summary>A hand-driven REP peer connected to <paramref name="req"/>, handshake done and the pipe attached.</summary>
    private static async Task<RawSpPeer> ConnectRawRepAsync(ReqSocket req)
    {
        RawSpPeer peer = await req.ConnectRawPeerAsync(RepId);
        try
        {
            await req.WaitForPipeCountAsync(1);
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        return peer;
    }

    [Fact]
    public async Task Request_and_reply_over_inproc_and_tcp()
    {
        foreach (string url in new[] { Addresses.Inproc("req"), Addresses.TcpLoopback })
        {
            await using var rep = new RepSocket();
            await using var req = new ReqSocket();
            string bound = rep.Listen(url).Url;
            req.Dial(bound);
            await req.AssertExchangeAsync(rep, "ping", "pong");
        }
    }

    [Fact]
    public async Task ResendTime_zero_disables_timed_resends_as_in_NNG()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket { ResendTime = TimeSpan.Zero };
        Assert.Equal(TimeSpan.Zero, req.ResendTime);
        Assert.Throws<ArgumentOutOfRangeException>(() => req.ResendTime = TimeSpan.FromSeconds(-1));
        req.Dial(rep.Listen(Addresses.Inproc("req-noresend")).Url);
        await req.SendTextAsync("once");
        Assert.Equal("once", await rep.ReceiveTextAsync());
        // With resends disabled nothing else may arrive; bound the wait well beyond a short resend interval.
        rep.ReceiveTimeout = TimeSpan.FromMilliseconds(300);
        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await rep.ReceiveAsync());
        Assert.Equal(SpError.TimedOut, ex.Error);
    }

    [Fact]
    public async Task Receive_racing_the_reply_never_reports_IncorrectState()
    {
        // The reply is delivered on the pipe's thread while the caller asks for it: a reply that has been
        // matched but not yet queued must not look like "no request outstanding".
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        req.Dial(rep.Listen(Addresses.Inproc("req-race")).Url);
        for (int i = 0; i < 300; i++)
        {
            await req.SendTextAsync("q");
            using (Message q = await Eventually.Within(rep.ReceiveAsync(), "request"))
            {
            }
            await rep.SendTextAsync("a");
            Assert.Equal("a", await req.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Request_wire_format_has_a_bit_31_id_and_the_reply_echoes_it()
    {
        await using var req = new ReqSocket();
        string url = req.ListenTcp();
        using (RawSpPeer peer = await req.ConnectRawPeerAsync(url, RepId))
        {
            await req.WaitForPipeCountAsync(1);
            await req.SendTextAsync("hello");
            byte[] request = await peer.ReceiveFrameAsync();
            Assert.Equal(9, request.Length);
            uint id = BinaryPrimitives.ReadUInt32BigEndian(request);
            Assert.True((id & 0x80000000) != 0, $"request id {id:x8} lacks bit 31");
            Assert.Equal("hello"u8.ToArray(), request[4..]);
            await peer.SendFrameAsync(RawSpPeer.Tagged([id], "world"u8));
            Assert.Equal("world", await req.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Request_is_resent_with_the_same_id_after_ResendTime()
    {
        await using var req = new ReqSocket { ResendTime = TimeSpan.FromMilliseconds(200) };
        using RawSpPeer peer = await ConnectRawRepAsync(req);
        var clock = Stopwatch.StartNew();
        await req.SendTextAsync("again?");
        byte[] first = await peer.ReceiveFrameAsync(); // ignored on purpose
        byte[] resent = await peer.ReceiveFrameAsync();
        TimeSpan gap = clock.Elapsed;
        Assert.Equal(first, resent); // same id, same bytes
        Assert.True(gap >= TimeSpan.FromMilliseconds(150), $"resent after only {gap.TotalMilliseconds} ms");
        await peer.SendFrameAsync(RawSpPeer.Tagged([BinaryPrimitives.ReadUInt32BigEndian(resent)], "answer"u8));
        Assert.Equal("answer", await req.ReceiveTextAsync());
    }

    [Fact]
    public async Task Resent_request_reaches_a_real_rep_that_ignored_the_first()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket { ResendTime = TimeSpan.FromMilliseconds(200) };
        req.Dial(rep.ListenTcp());
        await req.SendTextAsync("q");
        Assert.Equal("q", await rep.ReceiveTextAsync()); // received, never answered
        Assert.Equal("q", await rep.ReceiveTextAsync()); // the resend
        await rep.SendTextAsync("a");
        Assert.Equal("a", await req.ReceiveTextAsync());
    }

    [Fact]
    public async Task Request_is_resent_at_once_when_its_pipe_dies()
    {
        var reps = new[] { new RepSocket(), new RepSocket() };
        await using var req = new ReqSocket(); // default resend time: one minute, far beyond this test
        await using var disposeAll = Owned.Each(reps);
        foreach (RepSocket r in reps)
        {
            req.Dial(r.ListenTcp());
        }
        await req.WaitForPipeCountAsync(2);
        await req.SendTextAsync("job");

        int holder = -1;
        await Eventually.True(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                if (reps[i].TryReceive(out Message? m))
                {
                    Assert.Equal("job", m.ToString());
                    m.Dispose();
                    holder = i;
                    return true;
                }
            }
            return false;
        }, "one REP received the request");

        var clock = Stopwatch.StartNew();
        await reps[holder].DisposeAsync(); // the pipe carrying the request dies
        RepSocket other = reps[1 - holder];
        Assert.Equal("job", await other.ReceiveTextAsync(TimeSpan.FromSeconds(3)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        await other.SendTextAsync("done");
        Assert.Equal("done", await req.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_new_request_cancels_the_old_and_its_late_reply_is_dropped()
    {
        await using var req = new ReqSocket();
        using RawSpPeer peer = await ConnectRawRepAsync(req);
        await req.SendTextAsync("old");
        await req.SendTextAsync("new");
        byte[] oldRequest = await peer.ReceiveFrameAsync();
        byte[] newRequest = await peer.ReceiveFrameAsync();
        uint oldId = BinaryPrimitives.ReadUInt32BigEndian(oldRequest);
        uint newId = BinaryPrimitives.ReadUInt32BigEndian(newRequest);
        Assert.NotEqual(oldId, newId);
        Assert.Equal("new"u8.ToArray(), newRequest[4..]);

        await peer.SendFrameAsync(RawSpPeer.Tagged([oldId], "late"u8));
        await peer.SendFrameAsync(RawSpPeer.Tagged([newId], "fresh"u8));
        Assert.Equal("fresh", await req.ReceiveTextAsync());
        Assert.Equal(1, req.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Reply_with_an_unknown_id_is_dropped_and_the_pipe_kept()
    {
        await using var req = new ReqSocket();
        using RawSpPeer peer = await ConnectRawRepAsync(req);
        await req.SendTextAsync("x");
        uint id = BinaryPrimitives.ReadUInt32BigEndian(await peer.ReceiveFrameAsync());
        await peer.SendFrameAsync(RawSpPeer.Tagged([id ^ 0x1234], "bogus"u8));
        await peer.SendFrameAsync(RawSpPeer.Tagged([id], "right"u8));
        Assert.Equal("right", await req.ReceiveTextAsync());
        Assert.Equal(1, req.Statistics.MessagesDropped);
        Assert.Equal(1, req.Statistics.CurrentPipes);
    }

    [Fact]
    public async Task Reply_shorter_than_an_id_closes_the_pipe()
    {
        await using var req = new ReqSocket();
        using RawSpPeer peer = await ConnectRawRepAsync(req);
        await req.SendTextAsync("x");
        await peer.ReceiveFrameAsync();
        await peer.SendFrameAsync([0x80, 0x00]);
        Assert.True(await peer.WaitForRemoteCloseAsync(), "REQ kept a pipe that sent a 2-byte reply");
        await Eventually.True(() => req.Statistics.ProtocolErrors == 1, "protocol error counted");
    }

    [Fact]
    public async Task Receive_without_a_request_is_IncorrectState()
    {
        await using var req = new ReqSocket();
        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await req.ReceiveAsync());
        Assert.Equal(SpError.IncorrectState, ex.Error);
        var ex2 = Assert.Throws<SpNetException>(() => req.TryReceive(out _));
        Assert.Equal(SpError.IncorrectState, ex2.Error);
    }

    [Fact]
    public async Task Receive_after_the_reply_was_taken_is_IncorrectState_again()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        req.Dial(rep.Listen(Addresses.Inproc("req-state")).Url);
        await req.AssertExchangeAsync(rep, "1", "2");
        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await req.ReceiveAsync());
        Assert.Equal(SpError.IncorrectState, ex.Error);
    }

    [Fact]
    public async Task A_receive_right_after_a_waited_reply_is_IncorrectState_never_a_wait_forever()
    {
        // The reply completes a waiting receive, whose continuation may run on another thread before the delivering
        // pipe has marked the request answered: a receive issued from that continuation must still see "no request
        // outstanding". spcat's REQ hung here about once in 15 fresh processes (the deliverer still JIT-compiling);
        // a warm loop rarely opens that window, so this guards the behaviour and reqrep_test.sh the cold case.
        foreach (string url in new[] { Addresses.Inproc("req-after-wait"), Addresses.TcpLoopback })
        {
            await using var rep = new RepSocket();
            await using var req = new ReqSocket();
            req.Dial(rep.Listen(url).Url);
            for (int i = 0; i < 500; i++)
            {
                await req.SendTextAsync("q");
                ValueTask<Message> waiting = req.ReceiveAsync();
                using (Message q = await Eventually.Within(rep.ReceiveAsync(), "request"))
                {
                }
                await rep.SendTextAsync("a");
                using (Message a = await Eventually.Within(waiting, "reply"))
                {
                }
                var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(req.ReceiveAsync(), $"the refusal after reply {i} over {url}"));
                Assert.Equal(SpError.IncorrectState, ex.Error);
            }
        }
    }

    [Fact]
    public async Task Send_with_no_peer_times_out()
    {
        await using var req = new ReqSocket { SendTimeout = TimeSpan.FromMilliseconds(150) };
        await req.AssertSendTimesOutAsync(notBefore: TimeSpan.FromMilliseconds(120));
        // The failed request is not outstanding.
        var state = await Assert.ThrowsAsync<SpNetException>(async () => await req.ReceiveAsync());
        Assert.Equal(SpError.IncorrectState, state.Error);
    }

    [Fact]
    public async Task Request_waiting_for_a_peer_goes_out_when_one_connects()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        await req.AssertSendWaitsForAPeerAsync(rep, "early", dialFirst: true);
    }
}
