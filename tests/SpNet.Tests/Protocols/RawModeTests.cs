using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>wire-protocol.md §6: raw sockets for the patterns without a header behave like cooked ones, headers stay empty.</summary>
public class RawModeTests
{
    [Fact]
    public void Every_socket_reports_whether_it_is_raw()
    {
        using var cooked = new PairSocket();
        Assert.False(cooked.IsRaw);
        Socket[] raws = [PairSocket.CreateRaw(), Pair1Socket.CreateRaw(), PubSocket.CreateRaw(), SubSocket.CreateRaw(),
            PushSocket.CreateRaw(), PullSocket.CreateRaw(), BusSocket.CreateRaw(), StarSocket.CreateRaw()];
        foreach (Socket s in raws)
        {
            Assert.True(s.IsRaw, $"{s} is raw");
            Assert.Equal(true, s.GetOption(OptionNames.Raw));
            s.Dispose();
        }
    }

    [Fact]
    public async Task Raw_pair0_has_no_header_either_way()
    {
        await using var raw = PairSocket.CreateRaw();
        using RawSpPeer peer = await raw.ConnectRawPeerAsync(0x10);
        await peer.SendFrameAsync("in"u8);
        using Message m = await Eventually.Within(raw.ReceiveAsync(), "raw pair0 message");
        Assert.Equal(0, m.HeaderLength);
        Assert.Equal("in", m.ToString());
        await raw.SendTextAsync("out");
        Assert.Equal("out"u8.ToArray(), await peer.ReceiveFrameAsync());
    }

    [Fact]
    public async Task Raw_sub_does_no_filtering_and_has_no_subscriptions()
    {
        await using var pub = PubSocket.CreateRaw();
        await using var sub = SubSocket.CreateRaw();
        await pub.ConnectTcpAsync(sub);
        await pub.SendTextAsync("anything");
        using Message m = await Eventually.Within(sub.ReceiveAsync(), "unfiltered message");
        Assert.Equal("anything", m.ToString());
        Assert.Equal(0, m.HeaderLength);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => sub.Subscribe("x")).Error);
    }

    [Fact]
    public async Task Raw_push_and_pull_carry_bodies_unchanged()
    {
        await using var push = PushSocket.CreateRaw();
        await using var pull = PullSocket.CreateRaw();
        pull.Dial(push.ListenTcp());
        await push.SendTextAsync("job");
        using Message m = await Eventually.Within(pull.ReceiveAsync(), "job");
        Assert.Equal("job", m.ToString());
        Assert.Equal(0, m.HeaderLength);
    }

    [Fact]
    public async Task Raw_and_cooked_peers_interoperate()
    {
        await using var raw = Pair1Socket.CreateRaw();
        await using var cooked = new Pair1Socket();
        cooked.Dial(raw.ListenTcp());
        await cooked.SendTextAsync("up");
        using Message m = await Eventually.Within(raw.ReceiveAsync(), "cooked to raw");
        Assert.Equal(new byte[] { 0, 0, 0, 1 }, m.Header.ToArray());
        await Eventually.Within(raw.SendAsync(m.Clone()), "raw to cooked");
        Assert.Equal("up", await cooked.ReceiveTextAsync());
    }
}
