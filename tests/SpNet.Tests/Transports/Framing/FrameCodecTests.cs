using System.Buffers.Binary;
using SpNet.Transports.Framing;

namespace SpNet.Tests.Transports.Framing;

public class FrameCodecTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Theory]
    [InlineData(false, 8, "00 00 00 00 00 00 00 05 68 65 6c 6c 6f")] // vector 4
    [InlineData(true, 9, "01 00 00 00 00 00 00 00 05 68 65 6c 6c 6f")] // vector 5
    public void Frame_for_hello_matches_the_vector(bool ipc, int prefixSize, string expected)
    {
        byte[] body = "hello"u8.ToArray();
        byte[] frame = new byte[prefixSize + body.Length];
        int prefix = FrameCodec.WritePrefix(frame, (ulong)body.Length, ipc);
        body.CopyTo(frame, prefix);
        Assert.Equal(prefixSize, prefix);
        Assert.Equal(Hex(expected), frame);
    }

    [Fact]
    public void Req_id_framing_matches_vectors_6_and_7()
    {
        // Header (request id) and body are concatenated after the length, as StreamPipe writes them.
        using Message request = Message.Create("hello"u8);
        request.AppendHeaderUInt32(0x80000001);
        Assert.Equal(Hex("00 00 00 00 00 00 00 09 80 00 00 01 68 65 6c 6c 6f"), Encode(request));

        using Message reply = Message.Create("world"u8);
        reply.AppendHeaderUInt32(0x80000001);
        Assert.Equal(Hex("00 00 00 00 00 00 00 09 80 00 00 01 77 6f 72 6c 64"), Encode(reply));
    }

    [Fact]
    public void Request_after_one_device_matches_vector_8()
    {
        using Message request = Message.Create("hello"u8);
        request.AppendHeaderUInt32(0x80000001);
        request.PrependHeaderUInt32(0x7a0999a9);
        Assert.Equal(Hex("00 00 00 00 00 00 00 0d 7a 09 99 a9 80 00 00 01 68 65 6c 6c 6f"), Encode(request));
    }

    [Fact]
    public void Read_prefix_round_trips_vectors()
    {
        Assert.Equal(FramePrefixStatus.Ready, FrameCodec.TryReadPrefix(Hex("00 00 00 00 00 00 00 05 68"), ipc: false, 1024, out ulong tcp));
        Assert.Equal(5UL, tcp);
        Assert.Equal(FramePrefixStatus.Ready, FrameCodec.TryReadPrefix(Hex("01 00 00 00 00 00 00 00 05"), ipc: true, 1024, out ulong ipc));
        Assert.Equal(5UL, ipc);
        Assert.Equal(FramePrefixStatus.Ready, FrameCodec.TryReadPrefix(new byte[8], ipc: false, 1024, out ulong empty));
        Assert.Equal(0UL, empty); // a zero-length message is legal
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(7, false)]
    [InlineData(0, true)]
    [InlineData(8, true)]
    public void Short_prefix_needs_more_data(int available, bool ipc)
    {
        byte[] bytes = new byte[available];
        if (ipc && available > 0)
        {
            bytes[0] = 1;
        }
        Assert.Equal(FramePrefixStatus.NeedMoreData, FrameCodec.TryReadPrefix(bytes, ipc, 1024, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Limit_is_accepted_exactly_and_refused_one_above(bool ipc)
    {
        const long limit = 100;
        Assert.Equal(FramePrefixStatus.Ready, FrameCodec.TryReadPrefix(Prefix(limit, ipc), ipc, limit, out ulong at));
        Assert.Equal((ulong)limit, at);
        Assert.Equal(FramePrefixStatus.TooLarge, FrameCodec.TryReadPrefix(Prefix(limit + 1, ipc), ipc, limit, out ulong over));
        Assert.Equal((ulong)limit + 1, over);
    }

    [Theory]
    [InlineData(0x8000000000000000UL, 1024 * 1024)] // 2^63: would be negative as a signed length
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 1024 * 1024)] // 2^64-1
    [InlineData(0x8000000000000000UL, 0)] // "unlimited" still cannot mean 2^63
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 0)]
    [InlineData(0x0000000100000000UL, 0)] // 4 GiB: past Array.MaxLength
    public void Huge_lengths_are_refused(ulong length, long limit)
    {
        byte[] prefix = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(prefix, length);
        long before = GC.GetAllocatedBytesForCurrentThread();
        FramePrefixStatus status = FrameCodec.TryReadPrefix(prefix, ipc: false, limit, out ulong read);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FramePrefixStatus.TooLarge, status);
        Assert.Equal(length, read);
        Assert.True(allocated < 1024, $"reading a prefix allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0xFF)]
    public void Ipc_bad_type_is_refused(byte type)
    {
        byte[] prefix = Prefix(5, ipc: true);
        prefix[0] = type;
        Assert.Equal(FramePrefixStatus.BadType, FrameCodec.TryReadPrefix(prefix, ipc: true, 1024, out _));
    }

    private static byte[] Prefix(long length, bool ipc)
    {
        byte[] prefix = new byte[FrameCodec.PrefixSize(ipc)];
        FrameCodec.WritePrefix(prefix, (ulong)length, ipc);
        return prefix;
    }

    private static byte[] Encode(Message message)
    {
        byte[] frame = new byte[8 + message.Length];
        int at = FrameCodec.WritePrefix(frame, (ulong)message.Length, ipc: false);
        message.Header.CopyTo(frame.AsSpan(at));
        message.Body.CopyTo(frame.AsSpan(at + message.HeaderLength));
        return frame;
    }
}
