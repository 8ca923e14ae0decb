using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class Pair0Tests
{
    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task Pair_talks_both_ways(string transport)
    {
        await using var a = new PairSocket();
        await using var b = new PairSocket();
        b.Dial(a.Listen(Addresses.For(transport, "pair")).Url);
        await a.AssertExchangeAsync(b, "ping", "pong");
    }

    [Fact]
    public Task A_second_peer_is_refused_and_the_first_keeps_working() => Monogamy.AssertSecondPeerRefusedAsync(() => new PairSocket());

    [Fact]
    public async Task A_raw_second_connection_is_closed_after_the_handshake()
    {
        await using var server = new PairSocket();
        string url = server.ListenTcp();
        using (RawSpPeer one = await server.ConnectRawPeerAsync(url, 0x10))
        {
            await server.WaitForPipeCountAsync(1);
            using (RawSpPeer two = await server.ConnectRawPeerAsync(url, 0x10))
            {
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
