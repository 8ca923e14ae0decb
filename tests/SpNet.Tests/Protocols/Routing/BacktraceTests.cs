using SpNet.Protocols.Routing;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols.Routing;

public class BacktraceTests
{
    [Fact]
    public void A_bare_request_id_becomes_the_header()
    {
        using Message m = Message.Create(RawSpPeer.Tagged([0x80000001], "hello"u8));
        Assert.Equal(BacktraceResult.Ok, Backtrace.Extract(m, 8));
        Assert.Equal(Convert.FromHexString("80000001"), m.Header.ToArray());
        Assert.Equal("hello", m.ToString());
    }

    [Fact]
    public void Hops_up_to_the_request_id_are_kept_in_order()
    {
        using Message m = Message.Create(RawSpPeer.Tagged([0x7a0999a9, 0x00000002, 0x80000001], "hi"u8));
        Assert.Equal(BacktraceResult.Ok, Backtrace.Extract(m, 8));
        Assert.Equal(Convert.FromHexString("7a0999a90000000280000001"), m.Header.ToArray());
        Assert.Equal("hi", m.ToString());
    }

    [Fact]
    public void Body_bytes_after_the_id_are_not_tags_even_with_bit_31()
    {
        using Message m = Message.Create(RawSpPeer.Tagged([0x80000001, 0x80000002], ""u8));
        Assert.Equal(BacktraceResult.Ok, Backtrace.Extract(m, 8));
        Assert.Equal(4, m.HeaderLength);
        Assert.Equal(4, m.BodyLength);
    }

    [Fact]
    public void Eight_tags_pass_nine_are_too_many()
    {
        uint[] eight = [1, 2, 3, 4, 5, 6, 7, 0x80000001];
        using Message ok = Message.Create(RawSpPeer.Tagged(eight, "x"u8));
        Assert.Equal(BacktraceResult.Ok, Backtrace.Extract(ok, 8));
        Assert.Equal(32, ok.HeaderLength);

        uint[] nine = [1, 2, 3, 4, 5, 6, 7, 8, 0x80000001];
        using Message over = Message.Create(RawSpPeer.Tagged(nine, "x"u8));
        Assert.Equal(BacktraceResult.TooManyHops, Backtrace.Extract(over, 8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("800000")] // three bytes
    [InlineData("00000001")] // a hop, then nothing
    [InlineData("0000000100000002aabb")] // hops, then a partial tag
    public void Missing_request_id_is_truncated(string hex)
    {
        using Message m = Message.Create(Convert.FromHexString(hex));
        Assert.Equal(BacktraceResult.Truncated, Backtrace.Extract(m, 8));
    }
}
