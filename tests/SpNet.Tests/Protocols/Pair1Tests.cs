using System.Buffers.Binary;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class Pair1Tests
{
    private static readonly byte[] s_nngHi = [0x00, 0x00, 0x00, 0x01, 0x68, 0x69];   // wire-protocol.md §8 vector 10
    private static readonly byte[] s_mangosHi = [0x00, 0x00, 0x00, 0x00, 0x68, 0x69]; // §8 vector 11

    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task Pair1_talks_both_ways(string transport)
    {
        await using var a = new Pair1Socket();
        await using var b = new Pair1Socket();
        b.Dial(a.Listen(Addresses.For(transport, "pair1")).Url);
        await a.AssertExchangeAsync(b, "ping", "pong");
        Assert.Equal(0x11, a.ProtocolId);
        Assert.Equal("pair1", a.ProtocolName);
        Assert.False(a.IsRaw);
    }

    [Fact]
    public async Task A_cooked_send_puts_hop_count_1_on_the_wire_as_NNG()
    {
        await using var pair = new Pair1Socket();
        using (RawSpPeer peer = await pair.ConnectRawPeerAsync(0x11))
        {
            await pair.WaitForPipeCountAsync(1);
            await pair.SendTextAsync("hi");
            Assert.Equal(s_nngHi, await peer.ReceiveFrameAsync());
        }
    }

    [Fact]
    public async Task Hop_counts_0_and_1_are_accepted_and_stripped()
    {
        await using var pair = new Pair1Socket();
        using RawSpPeer peer = await pair.ConnectRawPeerAsync(0x11);
        await peer.SendFrameAsync(s_mangosHi);
        await peer.SendFrameAsync(s_nngHi);
        using Message first = await Eventually.Within(pair.ReceiveAsync(), "mangos-style message");
        Assert.Equal("hi", first.ToString());
        Assert.Equal(0, first.HeaderLength);
        Assert.NotEqual(0u, first.PipeId);
        Assert.Equal("hi", await pair.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_hop_count_over_MaxTtl_is_dropped_and_counted_and_the_pipe_kept()
    {
        await using var pair = new Pair1Socket { MaxTtl = 3 };
        using RawSpPeer peer = await pair.ConnectRawPeerAsync(0x11);
        await peer.SendFrameAsync(Hops(4, "too far"));
        await peer.SendFrameAsync(Hops(3, "just ok"));
        Assert.Equal("just ok", await pair.ReceiveTextAsync());
        Assert.Equal(1, pair.Statistics.MessagesDropped);
        Assert.Equal(1, pair.Statistics.CurrentPipes);
    }

    [Theory]
    [InlineData(0x100u)]
    [InlineData(0x01000001u)]
    public async Task A_hop_count_over_255_closes_the_pipe(uint hops)
    {
        await using var pair = new Pair1Socket();
        using RawSpPeer peer = await pair.ConnectRawPeerAsync(0x11);
        await pair.WaitForPipeCountAsync(1);
        await peer.SendFrameAsync(Hops(hops, "bad"));
        Assert.True(await peer.WaitForRemoteCloseAsync(), "pipe kept after a hop count > 255");
        Assert.Equal(1, pair.Statistics.ProtocolErrors);
    }

    [Fact]
    public async Task A_message_shorter_than_the_header_closes_the_pipe()
    {
        await using var pair = new Pair1Socket();
        using RawSpPeer peer = await pair.ConnectRawPeerAsync(0x11);
        await pair.WaitForPipeCountAsync(1);
        await peer.SendFrameAsync([0, 0, 1]);
        Assert.True(await peer.WaitForRemoteCloseAsync());
    }

    [Fact]
    public async Task Pair0_and_pair1_cannot_connect()
    {
        await using var one = new Pair1Socket();
        await using var zero = new PairSocket { ReconnectMinTime = TimeSpan.FromSeconds(10) };
        zero.Dial(one.ListenTcp());
        await Eventually.True(() => one.Statistics.PipesRejected >= 1, "pair0 peer rejected by pair1");
        Assert.Equal(0, one.Statistics.CurrentPipes);
    }

    [Fact]
    public Task A_second_peer_is_refused_by_a_monogamous_socket() => Monogamy.AssertSecondPeerRefusedAsync(() => new Pair1Socket());

    [Fact]
    public async Task Raw_pair1_shows_the_arrived_hop_count_and_sends_its_header_plus_one()
    {
        await using var raw = Pair1Socket.CreateRaw();
        Assert.True(raw.IsRaw);
        using RawSpPeer peer = await raw.ConnectRawPeerAsync(0x11);
        await peer.SendFrameAsync(Hops(2, "hi"));
        // Not disposed here: the send below succeeds and SpNet then owns it. Disposing it again (this was a
        // `using`) returned a pooled message another test in the process had rented meanwhile, whose body
        // then read empty (a surveyor context's answer under stress-ng).
        Message m = await Eventually.Within(raw.ReceiveAsync(), "raw pair1 message");
        Assert.Equal(new byte[] { 0, 0, 0, 2 }, m.Header.ToArray());
        Assert.Equal("hi", m.ToString());
        await Eventually.Within(raw.SendAsync(m), "forwarding");
        Assert.Equal(Hops(3, "hi"), await peer.ReceiveFrameAsync());

        using Message bad = Message.Create("no header");
        var ex = await Assert.ThrowsAsync<SpNetException>(async () => await raw.SendAsync(bad));
        Assert.Equal(SpError.Protocol, ex.Error);
        using Message tooMany = Message.Create("x");
        tooMany.AppendHeaderUInt32(0xFF);
        Assert.Equal(SpError.Protocol, (await Assert.ThrowsAsync<SpNetException>(async () => await raw.SendAsync(tooMany))).Error);
    }

    [Fact]
    public async Task Polyamorous_routes_each_send_by_pipe_id()
    {
        await using var hub = Pair1Socket.CreatePolyamorous();
        Assert.True(hub.IsPolyamorous);
        await using var a = new Pair1Socket();
        await using var b = new Pair1Socket();
        await hub.ConnectTcpAsync(a, b);

        await a.SendTextAsync("from a");
        using Message fromA = await Eventually.Within(hub.ReceiveAsync(), "a's message");
        await b.SendTextAsync("from b");
        using Message fromB = await Eventually.Within(hub.ReceiveAsync(), "b's message");
        Assert.NotEqual(fromA.PipeId, fromB.PipeId);

        Message toB = Message.Create("for b");
        toB.PipeId = fromB.PipeId;
        await Eventually.Within(hub.SendAsync(toB), "send to b");
        Message toA = Message.Create("for a");
        toA.PipeId = fromA.PipeId;
        await Eventually.Within(hub.SendAsync(toA), "send to a");
        Assert.Equal("for b", await b.ReceiveTextAsync());
        Assert.Equal("for a", await a.ReceiveTextAsync());

        // Sending a received message back as it is returns it to the pipe it came on.
        await a.SendTextAsync("echo me");
        Message echo = await Eventually.Within(hub.ReceiveAsync(), "a's echo request");
        await Eventually.Within(hub.SendAsync(echo), "echo");
        Assert.Equal("echo me", await a.ReceiveTextAsync());

        // An unknown pipe: discarded and counted, never blocks.
        Message lost = Message.Create("nobody");
        lost.PipeId = 0x7FFF_FFF0;
        Assert.True(hub.TrySend(lost));
        Assert.Equal(1, hub.Statistics.MessagesDropped);
        Assert.False(a.TryReceive(out _));
        Assert.False(b.TryReceive(out _));
    }

    [Fact]
    public async Task Polyamorous_send_without_a_pipe_id_goes_to_the_first_peer()
    {
        await using var hub = Pair1Socket.CreatePolyamorous();
        await using var a = new Pair1Socket();
        await hub.ConnectTcpAsync(a);
        await hub.SendTextAsync("anyone");
        Assert.Equal("anyone", await a.ReceiveTextAsync());
    }

    private static byte[] Hops(uint hops, string body)
    {
        byte[] payload = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, hops);
        System.Text.Encoding.ASCII.GetBytes(body, payload.AsSpan(4));
        return payload;
    }
}
