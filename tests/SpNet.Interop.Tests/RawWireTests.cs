using System.Buffers.Binary;
using System.Text;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Byte-level checks: what nngcat/nanocat put on the wire, captured with plain sockets, must equal what SpNet puts
/// on the wire in the same situation (the random REQ request id apart).
/// </summary>
public sealed class RawWireTests
{
    public static TheoryData<string, string> PeersAndRoles()
    {
        var data = new TheoryData<string, string>();
        foreach (string peer in new[] { Peers.NngCat, Peers.NanoCat })
        {
            foreach (string role in Role.All.Keys)
            {
                data.Add(peer, role);
            }
        }
        return data;
    }

    [PeerTheory(Peers.NngCat, Peers.NanoCat)]
    [MemberData(nameof(PeersAndRoles))]
    public async Task DialerHandshake_SameBytesAsPeer(string peerName, string roleName)
    {
        Cat cat = Cat.For(peerName);
        Role role = Role.All[roleName];

        using var peerListener = RawConnection.Listen(out string peerUrl);
        await using PeerProcess peer = cat.Start([.. role.PeerArguments(cat), cat.DialFlag, peerUrl]);
        using RawConnection fromPeer = await peer.GuardAsync(RawConnection.AcceptAsync(peerListener), what: "accept the peer");
        await fromPeer.WriteAsync(RawConnection.Header(role.PeerId));
        byte[] peerHeader = await peer.GuardAsync(fromPeer.ReadHeaderAsync(), what: "read the peer's header");

        using var spnetListener = RawConnection.Listen(out string spnetUrl);
        await using Socket socket = role.Create();
        socket.Dial(spnetUrl);
        using RawConnection fromSpNet = await RawConnection.AcceptAsync(spnetListener);
        await fromSpNet.WriteAsync(RawConnection.Header(role.PeerId));
        byte[] spnetHeader = await fromSpNet.ReadHeaderAsync();

        Assert.Equal(RawConnection.Header(role.Id), peerHeader);
        Assert.Equal(peerHeader, spnetHeader);
    }

    /// <summary>A listener sends its header at once, without waiting for the dialer's: both must, byte for byte.</summary>
    [PeerTheory(Peers.NngCat, Peers.NanoCat)]
    [MemberData(nameof(PeersAndRoles))]
    public async Task ListenerHandshake_SentFirst_SameBytesAsPeer(string peerName, string roleName)
    {
        Cat cat = Cat.For(peerName);
        Role role = Role.All[roleName];

        int port = TestNetwork.FreePort();
        await using PeerProcess peer = cat.Start([.. role.PeerArguments(cat), cat.ListenFlag, $"tcp://127.0.0.1:{port}"]);
        using RawConnection toPeer = await peer.GuardAsync(RawConnection.ConnectAsync(port, peer), what: "connect to the peer");
        byte[] peerHeader = await peer.GuardAsync(toPeer.ReadHeaderAsync(), what: "read the peer's header before sending ours");

        await using Socket socket = role.Create();
        Listener listener = socket.Listen("tcp://127.0.0.1:0");
        using RawConnection toSpNet = await RawConnection.ConnectAsync(new Uri(listener.Url).Port);
        byte[] spnetHeader = await toSpNet.ReadHeaderAsync();

        Assert.Equal(RawConnection.Header(role.Id), peerHeader);
        Assert.Equal(peerHeader, spnetHeader);
    }

    [Theory]
    [PeerData(Peers.NngCat)]
    [PeerData(Peers.NanoCat)]
    public async Task ReqRequest_SameBytesAsPeer_AndPeerReplyIsAccepted(string peerName)
    {
        Cat cat = Cat.For(peerName);
        byte[] payload = Encoding.ASCII.GetBytes("ping-wire");
        byte[] reply = Encoding.ASCII.GetBytes("pong-wire");

        using var peerListener = RawConnection.Listen(out string peerUrl);
        await using PeerProcess peer = cat.Start("--req", cat.DialFlag, peerUrl, "--data", "ping-wire", "-Q");
        using RawConnection fromPeer = await peer.GuardAsync(RawConnection.AcceptAsync(peerListener), what: "accept the peer");
        await fromPeer.WriteAsync(RawConnection.Header(0x31));
        Assert.Equal(RawConnection.Header(0x30), await peer.GuardAsync(fromPeer.ReadHeaderAsync(), what: "header"));
        byte[] peerFrame = await peer.GuardAsync(fromPeer.ReadFrameAsync(), what: "request frame");

        using var spnetListener = RawConnection.Listen(out string spnetUrl);
        await using var req = new ReqSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        req.Dial(spnetUrl);
        using RawConnection fromSpNet = await RawConnection.AcceptAsync(spnetListener);
        await fromSpNet.WriteAsync(RawConnection.Header(0x31));
        Assert.Equal(RawConnection.Header(0x30), await fromSpNet.ReadHeaderAsync());
        await req.SendAsync(payload);
        byte[] spnetFrame = await fromSpNet.ReadFrameAsync();

        // u64 length = 4 (request id) + payload; the id has bit 31 set; then the payload.
        foreach (byte[] frame in new[] { peerFrame, spnetFrame })
        {
            Assert.Equal(8 + 4 + payload.Length, frame.Length);
            Assert.Equal((ulong)(4 + payload.Length), BinaryPrimitives.ReadUInt64BigEndian(frame));
            Assert.True((frame[8] & 0x80) != 0, $"request id {Convert.ToHexString(frame, 8, 4)} lacks bit 31");
            Assert.Equal(payload, frame[12..]);
        }
        Assert.Equal(WithoutRequestId(peerFrame), WithoutRequestId(spnetFrame));

        // Answer both the way a REP does: the request's id, then the reply body.
        await fromPeer.WriteAsync(RawConnection.Frame(peerFrame[8..12], reply));
        await fromSpNet.WriteAsync(RawConnection.Frame(spnetFrame[8..12], reply));
        Assert.Equal("pong-wire", await req.ReceiveTextAsync());
        await peer.ExpectMessagesAsync(["pong-wire"]);
    }

    /// <summary>
    /// A request carrying a hop id (as from a device) and a request id: the REP's reply must carry the whole stack
    /// back, identical from the peer and from SpNet.
    /// </summary>
    [Theory]
    [PeerData(Peers.NngCat)]
    [PeerData(Peers.NanoCat)]
    public async Task RepReply_SameBytesAsPeer(string peerName)
    {
        Cat cat = Cat.For(peerName);
        byte[] hop = [0x00, 0x00, 0x00, 0x05];
        byte[] requestId = [0x80, 0x00, 0x00, 0x07];
        byte[] request = RawConnection.Frame(hop, requestId, Encoding.ASCII.GetBytes("ping-wire"));
        byte[] expectedReply = RawConnection.Frame(hop, requestId, Encoding.ASCII.GetBytes("pong-wire"));

        int port = TestNetwork.FreePort();
        await using PeerProcess peer = cat.Start("--rep", cat.ListenFlag, $"tcp://127.0.0.1:{port}", "--data", "pong-wire", "-Q");
        using RawConnection toPeer = await peer.GuardAsync(RawConnection.ConnectAsync(port, peer), what: "connect to the peer");
        await toPeer.WriteAsync([.. RawConnection.Header(0x30), .. request]);
        Assert.Equal(RawConnection.Header(0x31), await peer.GuardAsync(toPeer.ReadHeaderAsync(), what: "header"));
        byte[] peerReply = await peer.GuardAsync(toPeer.ReadFrameAsync(), what: "reply frame");
        await peer.ExpectMessagesAsync(["ping-wire"]);

        await using var rep = new RepSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        Listener listener = rep.Listen("tcp://127.0.0.1:0");
        using RawConnection toSpNet = await RawConnection.ConnectAsync(new Uri(listener.Url).Port);
        await toSpNet.WriteAsync([.. RawConnection.Header(0x30), .. request]);
        Assert.Equal(RawConnection.Header(0x31), await toSpNet.ReadHeaderAsync());
        Assert.Equal("ping-wire", await rep.ReceiveTextAsync());
        await rep.SendTextAsync("pong-wire");
        byte[] spnetReply = await toSpNet.ReadFrameAsync();

        Assert.Equal(expectedReply, peerReply);
        Assert.Equal(peerReply, spnetReply);
    }

    /// <summary>Header-less protocols: the first data frame is the u64 length and the body, nothing else.</summary>
    [Theory]
    [PeerData(Peers.NngCat, "push")]
    [PeerData(Peers.NngCat, "pub")]
    [PeerData(Peers.NngCat, "pair0")]
    [PeerData(Peers.NanoCat, "push")]
    [PeerData(Peers.NanoCat, "pub")]
    [PeerData(Peers.NanoCat, "pair0")]
    public async Task DataFrame_SameBytesAsPeer(string peerName, string roleName)
    {
        Cat cat = Cat.For(peerName);
        Role role = Role.All[roleName];
        string[] flag = role.PeerArguments(cat)[..1];
        byte[] expected = RawConnection.Frame(Encoding.ASCII.GetBytes("data-wire"));

        using var peerListener = RawConnection.Listen(out string peerUrl);
        await using PeerProcess peer = cat.Start([.. flag, cat.DialFlag, peerUrl, "--data", "data-wire", "--interval", "1"]);
        using RawConnection fromPeer = await peer.GuardAsync(RawConnection.AcceptAsync(peerListener), what: "accept the peer");
        await fromPeer.WriteAsync(RawConnection.Header(role.PeerId));
        Assert.Equal(RawConnection.Header(role.Id), await peer.GuardAsync(fromPeer.ReadHeaderAsync(), what: "header"));
        byte[] peerFrame = await peer.GuardAsync(fromPeer.ReadFrameAsync(), what: "data frame");

        using var spnetListener = RawConnection.Listen(out string spnetUrl);
        await using Socket socket = role.Create();
        socket.SendTimeout = Messages.Timeout;
        socket.Dial(spnetUrl);
        using RawConnection fromSpNet = await RawConnection.AcceptAsync(spnetListener);
        await fromSpNet.WriteAsync(RawConnection.Header(role.PeerId));
        Assert.Equal(RawConnection.Header(role.Id), await fromSpNet.ReadHeaderAsync());
        await Waiting.WaitUntilAsync(() => socket.Statistics.CurrentPipes >= 1, Messages.Timeout, "SpNet has a pipe");
        await socket.SendTextAsync("data-wire");
        byte[] spnetFrame = await fromSpNet.ReadFrameAsync();

        Assert.Equal(expected, peerFrame);
        Assert.Equal(peerFrame, spnetFrame);
    }

    private static byte[] WithoutRequestId(byte[] frame)
    {
        byte[] copy = [.. frame];
        copy.AsSpan(8, 4).Clear();
        return copy;
    }
}
