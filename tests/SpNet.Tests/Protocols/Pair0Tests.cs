using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class Pair0Tests
{
    [Theory]
    [InlineData("inproc")]
    [InlineData("tcp")]
    public async Task Pair_talks_both_ways(string transport)
    {
        await using var a = new PairSocket();
        await using var b = new PairSocket();
        b.Dial(a.Listen(transport == "tcp" ? Addresses.TcpLoopback : Addresses.Inproc("pair")).Url);
        await a.AssertExchangeAsync(b, "ping", "pong");
    }

    [Fact]
    public async Task A_second_peer_is_refused_and_the_first_keeps_working()
    {
        await using var server = new PairSocket();
        await using var first = new PairSocket();
        await using var second = new PairSocket { ReconnectMinTime = TimeSpan.FromSeconds(10) };
        string url = server.ListenTcp();
        first.Dial(url);
        await server.WaitForPipeCountAsync(1);
        second.Dial(url);
        await Eventually.True(() => server.Statistics.PipesRejected >= 1, $"second peer rejected ({server.Statistics})");
        Assert.Equal(1, server.Statistics.CurrentPipes);
        await server.AssertExchangeAsync(first, "only you", "thanks");
        Assert.False(second.TryReceive(out _));
    }

    [Fact]
    public async Task A_raw_second_connection_is_closed_after_the_handshake()
    {
        await using var server = new PairSocket();
        string url = server.ListenTcp();
        var (one, _) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x10);
        using (one)
        {
            await server.WaitForPipeCountAsync(1);
            var (two, header) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x10);
            using (two)
            {
                Assert.Equal(RawSpPeer.Header(0x10), header); // the handshake completes, as in NNG
                Assert.True(await two.WaitForRemoteCloseAsync(), "second PAIR0 peer kept");
            }
            Assert.Equal(1, server.Statistics.PipesRejected);
            await one.SendFrameAsync("hi"u8);
            Assert.Equal("hi", await server.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task After_the_peer_leaves_a_new_one_is_accepted()
    {
        await using var server = new PairSocket();
        string url = server.ListenTcp();
        await using (var first = new PairSocket())
        {
            first.Dial(url);
            await server.WaitForPipeCountAsync(1);
        }
        await server.WaitForPipeCountAsync(0);
        await using var next = new PairSocket();
        next.Dial(url);
        await next.SendTextAsync("me now");
        Assert.Equal("me now", await server.ReceiveTextAsync());
        Assert.Equal(0, server.Statistics.PipesRejected);
    }
}
