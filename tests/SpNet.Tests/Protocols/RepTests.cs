using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class RepTests
{
    private const ushort ReqId = 0x30;

    [Fact]
    public async Task Reply_carries_the_exact_tag_stack_of_the_request()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        using (RawSpPeer peer = await rep.ConnectRawPeerAsync(url, ReqId))
        {
            // wire-protocol.md §8 vector 8: a request after one device.
            await peer.SendAsync(Convert.FromHexString("000000000000000d7a0999a98000000168656c6c6f"));
            Assert.Equal("hello", await rep.ReceiveTextAsync());
            await rep.SendTextAsync("world");
            Assert.Equal(Convert.FromHexString("7a0999a980000001776f726c64"), await peer.ReceiveFrameAsync());

            // Deeper stack: seven hops and the id (eight tags, the most allowed).
            uint[] tags = [1, 2, 3, 0x7FFFFFFF, 5, 6, 7, 0xFFFFFFFF];
            await peer.SendFrameAsync(RawSpPeer.Tagged(tags, "deep"u8));
            Assert.Equal("deep", await rep.ReceiveTextAsync());
            await rep.SendTextAsync("ok");
            Assert.Equal(RawSpPeer.Tagged(tags, "ok"u8), await peer.ReceiveFrameAsync());
        }
    }

    [Fact]
    public async Task More_than_eight_tags_is_dropped_and_the_pipe_kept()
    {
        await using var rep = new RepSocket();
        using RawSpPeer peer = await rep.ConnectRawPeerAsync(ReqId);
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2, 3, 4, 5, 6, 7, 8, 0x80000001], "too deep"u8));
        await peer.SendFrameAsync(RawSpPeer.Tagged([0x80000002], "fine"u8));
        Assert.Equal("fine", await rep.ReceiveTextAsync());
        Assert.Equal(1, rep.Statistics.MessagesDropped);
        Assert.Equal(1, rep.Statistics.CurrentPipes);
        await rep.SendTextAsync("reply");
        Assert.Equal(RawSpPeer.Tagged([0x80000002], "reply"u8), await peer.ReceiveFrameAsync());
    }

    [Fact]
    public async Task MaxTtl_is_configurable()
    {
        await using var rep = new RepSocket { MaxTtl = 2 };
        string url = rep.ListenTcp();
        using (RawSpPeer peer = await rep.ConnectRawPeerAsync(url, ReqId))
        {
            await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2, 0x80000001], "three"u8));
            await peer.SendFrameAsync(RawSpPeer.Tagged([1, 0x80000002], "two"u8));
            Assert.Equal("two", await rep.ReceiveTextAsync());
            Assert.Equal(1, rep.Statistics.MessagesDropped);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => rep.MaxTtl = 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => rep.MaxTtl = 16);
    }

    [Fact]
    public async Task Request_without_a_bit_31_tag_closes_the_pipe()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        using (RawSpPeer peer = await rep.ConnectRawPeerAsync(url, ReqId))
        {
            await rep.WaitForPipeCountAsync(1);
            await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2], ""u8));
            Assert.True(await peer.WaitForRemoteCloseAsync(), "REP kept a pipe that sent a request without an id");
            await Eventually.True(() => rep.Statistics.ProtocolErrors == 1 && rep.Statistics.CurrentPipes == 0, "protocol error counted, pipe gone");
        }
        // Others are still served.
        await using var req = new ReqSocket();
        req.Dial(url);
        await req.AssertExchangeAsync(rep, "still there?", "yes");
    }

    [Fact]
    public async Task Send_without_a_request_is_IncorrectState()
    {
        await using var rep = new RepSocket();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => rep.SendAsync("x"u8.ToArray()).AsTask());
        Assert.Equal(SpError.IncorrectState, ex.Error);
        var ex2 = Assert.Throws<SpNetException>(() => rep.TrySend("x"u8));
        Assert.Equal(SpError.IncorrectState, ex2.Error);
    }

    [Fact]
    public async Task Second_send_after_one_reply_is_IncorrectState()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        req.Dial(rep.Listen(Addresses.Inproc("rep-twice")).Url);
        await req.SendTextAsync("q");
        Assert.Equal("q", await rep.ReceiveTextAsync());
        await rep.SendTextAsync("a");
        var ex = await Assert.ThrowsAsync<SpNetException>(() => rep.SendAsync("b"u8.ToArray()).AsTask());
        Assert.Equal(SpError.IncorrectState, ex.Error);
        Assert.Equal("a", await req.ReceiveTextAsync());
    }

    [Fact]
    public async Task Reply_is_discarded_when_the_requesters_pipe_is_gone()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        using (RawSpPeer peer = await rep.ConnectRawPeerAsync(url, ReqId))
        {
            await peer.SendFrameAsync(RawSpPeer.Tagged([0x80000009], "bye"u8));
            Assert.Equal("bye", await rep.ReceiveTextAsync());
        }
        await rep.WaitForPipeCountAsync(0);
        await rep.SendTextAsync("nobody listens"); // no exception, no hang
        Assert.Equal(1, rep.Statistics.MessagesDropped);

        // The socket still serves a new requester.
        await using var req = new ReqSocket();
        req.Dial(url);
        await req.AssertExchangeAsync(rep, "hi", "hello");
    }

    [Fact]
    public async Task Replies_go_back_to_the_pipe_each_request_came_from()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        RawSpPeer a = await rep.ConnectRawPeerAsync(url, ReqId);
        RawSpPeer b = await rep.ConnectRawPeerAsync(url, ReqId);
        using (a)
        using (b)
        {
            await a.SendFrameAsync(RawSpPeer.Tagged([0x800000AA], "from a"u8));
            Assert.Equal("from a", await rep.ReceiveTextAsync());
            await b.SendFrameAsync(RawSpPeer.Tagged([0x800000BB], "from b"u8));
            // Receiving b's request replaces the route: the reply goes to b only.
            Assert.Equal("from b", await rep.ReceiveTextAsync());
            await rep.SendTextAsync("to b");
            Assert.Equal(RawSpPeer.Tagged([0x800000BB], "to b"u8), await b.ReceiveFrameAsync());
            await Assert.ThrowsAsync<TimeoutException>(() => a.ReceiveExactlyAsync(1, TimeSpan.FromMilliseconds(100)));
        }
    }

    [Fact]
    public async Task Receive_is_fair_across_requesters_and_cannot_be_called_on_a_send_only_direction()
    {
        await using var rep = new RepSocket();
        await using var req1 = new ReqSocket();
        await using var req2 = new ReqSocket();
        await rep.ConnectTcpAsync(req1, req2);
        await req1.SendTextAsync("one");
        await req2.SendTextAsync("two");
        var got = new HashSet<string>();
        for (int i = 0; i < 2; i++)
        {
            string text = await rep.ReceiveTextAsync();
            got.Add(text);
            await rep.SendTextAsync(text + "!");
        }
        Assert.Equal(new HashSet<string> { "one", "two" }, got);
        Assert.Equal("one!", await req1.ReceiveTextAsync());
        Assert.Equal("two!", await req2.ReceiveTextAsync());
    }
}
