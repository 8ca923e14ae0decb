using System.Buffers.Binary;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class RawTests
{
    private static uint U32(ReadOnlySpan<byte> bytes) => BinaryPrimitives.ReadUInt32BigEndian(bytes);

    [Fact]
    public async Task Raw_sockets_report_IsRaw_and_have_no_contexts_or_timers()
    {
        await using var req = ReqSocket.CreateRaw();
        await using var rep = RepSocket.CreateRaw();
        await using var surveyor = SurveyorSocket.CreateRaw();
        await using var respondent = RespondentSocket.CreateRaw();
        foreach (Socket s in new Socket[] { req, rep, surveyor, respondent })
        {
            Assert.True(s.IsRaw);
        }
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => req.OpenContext()).Error);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => rep.OpenContext()).Error);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => surveyor.OpenContext()).Error);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => respondent.OpenContext()).Error);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => req.ResendTime).Error);
        Assert.Equal(SpError.NotSupported, Assert.Throws<SpNetException>(() => surveyor.SurveyTime).Error);
        Assert.Equal(0x30, req.ProtocolId);
        Assert.Equal(0x62, surveyor.ProtocolId);
    }

    [Theory]
    [InlineData(0x30)] // REQ → raw REP
    [InlineData(0x62)] // SURVEYOR → raw RESPONDENT
    public async Task Raw_rep_and_respondent_show_pipe_id_then_tags_and_route_by_the_first_four_header_bytes(ushort peerProtocol)
    {
        await using Socket raw = peerProtocol == 0x30 ? RepSocket.CreateRaw() : RespondentSocket.CreateRaw();
        string url = raw.ListenTcp();
        RawSpPeer a = await raw.ConnectRawPeerAsync(url, peerProtocol);
        RawSpPeer b = await raw.ConnectRawPeerAsync(url, peerProtocol);
        using (a)
        using (b)
        {
            await raw.WaitForPipeCountAsync(2);
            await b.SendFrameAsync(RawSpPeer.Tagged([7, 0x80000009], "hi"u8));
            using Message request = await Eventually.Within(raw.ReceiveAsync(), "the raw request");
            Assert.Equal(12, request.HeaderLength);
            uint pipeId = U32(request.Header);
            Assert.True(pipeId is > 0 and < 0x80000000u, "a 31-bit non-zero pipe id");
            Assert.Equal(7u, U32(request.Header[4..]));
            Assert.Equal(0x80000009u, U32(request.Header[8..]));
            Assert.Equal("hi", request.ToString());

            // Reply: the first four header bytes pick the pipe; the rest of the header goes out unchanged.
            Message reply = Message.Create("yo");
            reply.AppendHeader(request.Header);
            await raw.SendAsync(reply);
            Assert.Equal(RawSpPeer.Tagged([7, 0x80000009], "yo"u8), await b.ReceiveFrameAsync());
            await Assert.ThrowsAsync<TimeoutException>(() => a.ReceiveFrameAsync(TimeSpan.FromMilliseconds(150)));

            // Unknown pipe and a header too short to name one: dropped (counted), no exception.
            Message unknown = Message.Create("lost");
            unknown.AppendHeaderUInt32(pipeId ^ 0x40000000u);
            unknown.AppendHeaderUInt32(0x80000009u);
            await raw.SendAsync(unknown);
            Message headerless = Message.Create("lost too");
            await raw.SendAsync(headerless);
            Assert.Equal(2, raw.Statistics.MessagesDropped);
        }
    }

    [Fact]
    public async Task Raw_rep_drops_over_MaxTtl_and_closes_a_pipe_whose_body_is_shorter_than_four_bytes()
    {
        await using var raw = RepSocket.CreateRaw();
        raw.MaxTtl = 2;
        using RawSpPeer peer = await raw.ConnectRawPeerAsync(0x30);
        await raw.WaitForPipeCountAsync(1);
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2, 0x80000001], "3 tags"u8));
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 0x80000002], "2 tags"u8));
        using Message m = await Eventually.Within(raw.ReceiveAsync(), "the 2-tag request");
        Assert.Equal("2 tags", m.ToString());
        Assert.Equal(1, raw.Statistics.MessagesDropped);
        await peer.SendFrameAsync([0x80, 0x00]);
        Assert.True(await peer.WaitForRemoteCloseAsync(), "raw REP kept a pipe that sent a 2-byte body");
        await Eventually.True(() => raw.Statistics.ProtocolErrors == 1, "protocol error counted");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Raw_req_and_surveyor_pass_tags_through_both_ways(bool surveyor)
    {
        await using Socket raw = surveyor ? SurveyorSocket.CreateRaw() : ReqSocket.CreateRaw();
        string url = raw.ListenTcp();
        var (peer, _) = await RawSpPeer.ConnectAndHandshakeAsync(url, surveyor ? (ushort)0x63 : (ushort)0x31);
        using (peer)
        {
            await raw.WaitForPipeCountAsync(1);
            Message m = Message.Create("body");
            m.AppendHeaderUInt32(0x00000005);
            m.AppendHeaderUInt32(0x00000001); // no bit 31: raw sends whatever it is given
            await raw.SendAsync(m);
            Assert.Equal(RawSpPeer.Tagged([5, 1], "body"u8), await peer.ReceiveFrameAsync());

            await peer.SendFrameAsync(RawSpPeer.Tagged([5, 0x80000042], "answer"u8));
            using Message back = await Eventually.Within(raw.ReceiveAsync(), "the raw answer");
            Assert.Equal(RawSpPeer.Tagged([5, 0x80000042], ""u8), back.Header.ToArray());
            Assert.Equal("answer", back.ToString());

            // A stale or unknown id is not filtered in raw mode.
            await peer.SendFrameAsync(RawSpPeer.Tagged([0x80000001], "any"u8));
            using Message any = await Eventually.Within(raw.ReceiveAsync(), "the unfiltered answer");
            Assert.Equal("any", any.ToString());
        }
    }
}
