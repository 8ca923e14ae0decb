using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class BusTests
{
    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task A_full_mesh_of_five_each_message_seen_once_by_every_other_member(string transport)
    {
        const int n = 5;
        var members = new BusSocket[n];
        for (int i = 0; i < n; i++)
        {
            members[i] = new BusSocket();
        }
        await using var disposeAll = Owned.Each(members);
        var urls = members.Select(m => m.Listen(Addresses.For(transport, "bus")).Url).ToArray();
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                members[i].Dial(urls[j]);
            }
        }
        foreach (var m in members)
        {
            await m.WaitForPipeCountAsync(n - 1);
        }
        await Broadcast.EachHearsEveryOtherOnceAsync(members);
        for (int i = 0; i < n; i++)
        {
            Assert.False(members[i].TryReceive(out _), $"member {i} got an extra message (echo or forward)");
        }
    }

    [Fact]
    public async Task Bus_never_forwards_a_chain_member_hears_only_its_neighbours()
    {
        await using var a = new BusSocket();
        await using var b = new BusSocket();
        await using var c = new BusSocket();
        await b.ConnectTcpAsync(a, c);
        await a.AssertExchangeAsync(b, "from a", "from b");
        Assert.Equal("from b", await c.ReceiveTextAsync());
        Assert.False(c.TryReceive(out _), "bus forwarded a's message to c");
    }

    [Fact]
    public async Task No_header_on_the_wire_and_sending_with_no_peer_does_not_block()
    {
        await using var bus = new BusSocket();
        Assert.True(bus.TrySend("nobody"u8));
        using (RawSpPeer peer = await bus.ConnectRawPeerAsync(0x70))
        {
            await bus.WaitForPipeCountAsync(1);
            await bus.SendTextAsync("hello");
            Assert.Equal("hello"u8.ToArray(), await peer.ReceiveFrameAsync());
            await peer.SendFrameAsync("back"u8);
            Assert.Equal("back", await bus.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Raw_bus_header_is_the_local_pipe_id_and_a_send_skips_the_pipe_it_names()
    {
        await using var reflector = BusSocket.CreateRaw();
        Assert.True(reflector.IsRaw);
        await using var a = new BusSocket();
        await using var b = new BusSocket();
        await reflector.ConnectTcpAsync(a, b);

        await a.SendTextAsync("from a");
        using Message m = await Eventually.Within(reflector.ReceiveAsync(), "a's message at the reflector");
        Assert.Equal(4, m.HeaderLength);
        Assert.Equal(m.PipeId, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(m.Header));
        Assert.Equal("from a", m.ToString());

        Message copy = m.Clone();
        await Eventually.Within(reflector.SendAsync(copy), "reflecting");
        Assert.Equal("from a", await b.ReceiveTextAsync());

        // Per-pipe order: had the reflector echoed "from a" back to a, a would see it before this.
        await Eventually.Within(reflector.SendAsync("to all"u8.ToArray()), "headerless raw send");
        Assert.Equal("to all", await a.ReceiveTextAsync());
        Assert.Equal("to all", await b.ReceiveTextAsync());
    }
}
