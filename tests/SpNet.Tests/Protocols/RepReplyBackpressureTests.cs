using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>A reply to a requester that stops reading waits for room on its pipe, and every way that wait ends.</summary>
public class RepReplyBackpressureTests
{
    private const ushort ReqId = 0x30;
    private const int ReplySize = 256 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_reply_waits_for_room_and_goes_out_once_the_requester_reads()
    {
        await using var rep = new RepSocket();
        using RawSpPeer peer = await rep.ConnectRawPeerAsync(ReqId);
        (int sent, ValueTask pending) = await FillUntilAReplyWaitsAsync(rep, peer);

        // Read every reply that went out; the waiting one follows, then the socket serves on.
        for (int i = 0; i <= sent; i++)
        {
            byte[] frame = await peer.ReceiveFrameAsync(Bound);
            Assert.Equal(4 + ReplySize, frame.Length);
            Assert.Equal(RequestId(i), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame));
        }
        await pending.AsTask().WaitAsync(Bound);
        await peer.SendFrameAsync(RawSpPeer.Tagged([RequestId(sent + 1)], "more"u8));
        Assert.Equal("more", await rep.ReceiveTextAsync());
        await rep.SendTextAsync("served");
        Assert.Equal(RawSpPeer.Tagged([RequestId(sent + 1)], "served"u8), await peer.ReceiveFrameAsync(Bound));
    }

    [Fact]
    public async Task A_waiting_reply_is_dropped_when_the_requester_goes()
    {
        await using var rep = new RepSocket();
        RawSpPeer peer = await rep.ConnectRawPeerAsync(ReqId);
        (_, ValueTask pending) = await FillUntilAReplyWaitsAsync(rep, peer);
        long droppedBefore = rep.Statistics.MessagesDropped;

        peer.Dispose();
        await pending.AsTask().WaitAsync(Bound); // no exception: nobody is left to answer, as when the pipe was gone already
        Assert.True(rep.Statistics.MessagesDropped > droppedBefore);
    }

    [Fact]
    public async Task A_waiting_reply_fails_with_Closed_when_the_socket_closes_and_the_caller_keeps_the_message()
    {
        var rep = new RepSocket();
        using RawSpPeer peer = await rep.ConnectRawPeerAsync(ReqId);
        Message? reply = null;
        ValueTask pending = default;
        for (int i = 0; i < 1000 && reply is null; i++)
        {
            await peer.SendFrameAsync(RawSpPeer.Tagged([RequestId(i)], "req"u8));
            using Message request = await rep.ReceiveAsync().AsTask().WaitAsync(Bound);
            var candidate = Message.Create(new byte[ReplySize]);
            ValueTask send = rep.SendAsync(candidate);
            if (!send.IsCompleted)
            {
                reply = candidate;
                pending = send;
            }
            else
            {
                await send;
            }
        }
        Assert.NotNull(reply);

        await rep.DisposeAsync();
        var error = await Assert.ThrowsAsync<SpNetException>(() => pending.AsTask().WaitAsync(Bound));
        Assert.Equal(SpError.Closed, error.Error);
        Assert.Equal(ReplySize, reply!.BodyLength); // a failed send leaves the message with its caller
        reply.Dispose();
    }

    private static uint RequestId(int i) => 0x80000000u | (uint)(i + 1);

    /// <summary>Sends requests and answers each with a large reply until one reply has to wait; returns how many went out before it.</summary>
    private static async Task<(int Sent, ValueTask Pending)> FillUntilAReplyWaitsAsync(RepSocket rep, RawSpPeer peer)
    {
        // Bounded: a 256 KiB reply fills the pipe's queue and the loopback buffers (a few MiB) long before 1,000.
        for (int i = 0; i < 1000; i++)
        {
            await peer.SendFrameAsync(RawSpPeer.Tagged([RequestId(i)], "req"u8));
            using (Message request = await rep.ReceiveAsync().AsTask().WaitAsync(Bound))
            {
            }
            ValueTask send = rep.SendAsync(new byte[ReplySize]);
            if (!send.IsCompleted)
            {
                return (i, send);
            }
            await send;
        }
        throw new InvalidOperationException("no reply waited for room in 1,000 replies of 256 KiB");
    }
}
