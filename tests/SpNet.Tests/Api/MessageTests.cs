namespace SpNet.Tests.Api;

public class MessageTests
{
    [Fact]
    public void Create_copies_the_body()
    {
        byte[] source = [1, 2, 3];
        using Message m = Message.Create(source);
        source[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3 }, m.ToArray());
        Assert.Equal(3, m.BodyLength);
        Assert.Equal(0, m.HeaderLength);
        Assert.Equal(3, m.Length);
    }

    [Fact]
    public void Create_with_length_and_from_text()
    {
        using Message sized = Message.Create(10);
        Assert.Equal(10, sized.BodyLength);
        Assert.Equal(10, sized.Body.Length);
        using Message text = Message.Create("héllo");
        Assert.Equal("héllo", text.ToString());
        Assert.Equal(6, text.BodyLength);
        using Message empty = Message.Create(0);
        Assert.Equal(0, empty.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => Message.Create(-1));
        Assert.Throws<ArgumentNullException>(() => Message.Create((string)null!));
    }

    [Fact]
    public void Append_grows_the_body_and_keeps_existing_bytes()
    {
        using Message m = Message.Create("ab"u8);
        m.Append("cd"u8);
        m.AppendUInt32(0x01020304);
        byte[] big = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        m.Append(big);
        byte[] expected = [.. "abcd"u8.ToArray(), 1, 2, 3, 4, .. big];
        Assert.Equal(expected, m.ToArray());
    }

    [Fact]
    public void Resize_shrinks_and_grows_keeping_the_prefix()
    {
        using Message m = Message.Create("hello"u8);
        m.Resize(2);
        Assert.Equal("he", m.ToString());
        m.Resize(4000);
        Assert.Equal(4000, m.BodyLength);
        Assert.Equal("he"u8.ToArray(), m.Body[..2].ToArray());
        m.Resize(0);
        Assert.Equal(0, m.BodyLength);
        Assert.Throws<ArgumentOutOfRangeException>(() => m.Resize(-1));
    }

    [Fact]
    public void Header_append_prepend_trim()
    {
        using Message m = Message.Create("x"u8);
        m.AppendHeaderUInt32(0x80000001);
        m.PrependHeaderUInt32(0x7a0999a9);
        m.AppendHeader([0xAA]);
        Assert.Equal(Convert.FromHexString("7a0999a980000001aa"), m.Header.ToArray());
        Assert.Equal(9 + 1, m.Length);
        Assert.Equal(0x7a0999a9u, m.TrimHeaderUInt32());
        Assert.Equal(0x80000001u, m.TrimHeaderUInt32());
        Assert.Equal(1, m.HeaderLength);
        var ex = Assert.Throws<SpNetException>(() => m.TrimHeaderUInt32());
        Assert.Equal(SpError.Protocol, ex.Error);
        m.ClearHeader();
        Assert.Equal(0, m.HeaderLength);
        Assert.Equal("x", m.ToString());
    }

    [Fact]
    public void Header_grows_past_its_initial_capacity()
    {
        using Message m = Message.Create(0);
        for (uint i = 0; i < 40; i++)
        {
            m.AppendHeaderUInt32(i);
        }
        Assert.Equal(160, m.HeaderLength);
        for (uint i = 0; i < 40; i++)
        {
            Assert.Equal(i, m.TrimHeaderUInt32());
        }
    }

    [Fact]
    public void TrimBodyUInt32_takes_from_the_front()
    {
        using Message m = Message.Create(Convert.FromHexString("80000001") .Concat("hi"u8.ToArray()).ToArray());
        Assert.Equal(0x80000001u, m.TrimBodyUInt32());
        Assert.Equal("hi", m.ToString());
        var ex = Assert.Throws<SpNetException>(() => m.TrimBodyUInt32());
        Assert.Equal(SpError.Protocol, ex.Error);
        Assert.Equal("hi", m.ToString()); // a failed trim changes nothing
    }

    [Fact]
    public void Move_between_header_and_body_is_the_wire_view()
    {
        using Message m = Message.Create(Convert.FromHexString("0000000780000001") .Concat("hey"u8.ToArray()).ToArray());
        m.MoveBodyPrefixToHeader(8);
        Assert.Equal(Convert.FromHexString("0000000780000001"), m.Header.ToArray());
        Assert.Equal("hey", m.ToString());
        m.MoveHeaderToBodyFront();
        Assert.Equal(0, m.HeaderLength);
        Assert.Equal(Convert.FromHexString("0000000780000001") .Concat("hey"u8.ToArray()).ToArray(), m.ToArray());
    }

    [Fact]
    public void MoveHeaderToBodyFront_with_a_header_larger_than_the_headroom()
    {
        using Message m = Message.Create("body"u8);
        byte[] header = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        m.AppendHeader(header);
        m.MoveHeaderToBodyFront();
        Assert.Equal([.. header, .. "body"u8.ToArray()], m.ToArray());
    }

    [Fact]
    public void Clone_is_deep()
    {
        using Message m = Message.Create("abc"u8);
        m.AppendHeaderUInt32(0x80000005);
        using Message copy = m.Clone();
        m.Body[0] = (byte)'z';
        m.ClearHeader();
        Assert.Equal("abc", copy.ToString());
        Assert.Equal(Convert.FromHexString("80000005"), copy.Header.ToArray());
    }

    [Fact]
    public void Clear_empties_header_and_body()
    {
        using Message m = Message.Create("abc"u8);
        m.AppendHeaderUInt32(1);
        m.Clear();
        Assert.Equal(0, m.Length);
        m.Append("x"u8);
        Assert.Equal("x", m.ToString());
    }

    [Fact]
    public void Reference_counting_frees_only_on_the_last_dispose()
    {
        Message m = Message.Create("shared"u8);
        Assert.False(m.IsShared);
        m.AddReference();
        m.AddReference();
        Assert.True(m.IsShared);
        m.Dispose(); // two holders left
        Assert.True(m.IsShared);
        m.Dispose(); // one holder left
        Assert.False(m.IsShared);
        Assert.Equal("shared", m.ToString()); // still alive for the last holder
        m.Dispose(); // buffers returned; the object may now be reused by anyone, so it is not touched again
    }

    [Fact]
    public void A_pooled_message_comes_back_clean()
    {
        var seen = new List<Message>();
        for (int i = 0; i < 8; i++)
        {
            Message m = Message.Create("dirty"u8);
            m.AppendHeaderUInt32(0xDEADBEEF);
            m.Dispose();
        }
        for (int i = 0; i < 8; i++)
        {
            Message fresh = Message.Create(0);
            Assert.Equal(0, fresh.HeaderLength);
            Assert.Equal(0, fresh.BodyLength);
            Assert.False(fresh.IsShared);
            seen.Add(fresh);
        }
        seen.ForEach(m => m.Dispose());
    }

    [Theory]
    [InlineData(1 << 12)]
    [InlineData(1 << 16)]
    [InlineData(1 << 20)]
    public void A_power_of_two_body_takes_a_buffer_of_its_own_size_not_the_next_one(int size)
    {
        using Message m = Message.Create(size);
        Assert.Equal(size, m.BodyBuffer.Length);
        m.Resize(size / 2);
        m.Resize(size); // shrinking and growing back stays in the same buffer
        Assert.Equal(size, m.BodyBuffer.Length);
    }

    [Theory]
    [InlineData((1 << 20) + 1)]
    [InlineData(3 << 20)]
    [InlineData(700 << 20)]
    public void A_body_over_1_MiB_takes_its_size_not_the_next_power_of_two(int size)
    {
        using Message m = Message.Create(size);
        Assert.InRange(m.BodyBuffer.Length, size, size + 64);
    }

    [Fact]
    public void A_small_body_keeps_headroom_for_a_header()
    {
        using Message m = Message.Create(100);
        Assert.True(m.BodyOffset > 0);
        Assert.Equal(128, m.BodyBuffer.Length);
    }
}
