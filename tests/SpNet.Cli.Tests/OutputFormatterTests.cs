using System.Text;

namespace SpNet.Cli.Tests;

/// <summary>
/// Expected bytes were captured once from the real nngcat 1.5.2:
/// <c>nngcat --pull --listen tcp://127.0.0.1:P --FORMAT -C 1 &gt; out</c> fed by <c>nngcat --push --dial tcp://127.0.0.1:P -F body.bin</c>,
/// where body.bin is "hi \"there\"\\\n\t\r" (Small) or the bytes 0..255 (All).
/// </summary>
public class OutputFormatterTests
{
    private static readonly byte[] Small = Encoding.ASCII.GetBytes("hi \"there\"\\\n\t\r");
    private static readonly byte[] All = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private static string Render(byte[] body, OutputFormat format) => Encoding.Latin1.GetString(OutputFormatter.Format(body, format));

    [Theory]
    [InlineData(false, OutputFormat.Quoted, "\"hi \\\"there\\\"\\\\\\n\\t\\r\"\n")]
    [InlineData(false, OutputFormat.Hex, "\"\\x68\\x69\\x20\\x22\\x74\\x68\\x65\\x72\\x65\\x22\\x5c\\x0a\\x09\\x0d\"\n")]
    [InlineData(false, OutputFormat.Ascii, "hi \"there\"\\...")]
    [InlineData(true, OutputFormat.Quoted, "\"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n\\x0b\\x0c\\r\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff\"\n")]
    [InlineData(true, OutputFormat.Hex, "\"\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\x09\\x0a\\x0b\\x0c\\x0d\\x0e\\x0f\\x10\\x11\\x12\\x13\\x14\\x15\\x16\\x17\\x18\\x19\\x1a\\x1b\\x1c\\x1d\\x1e\\x1f\\x20\\x21\\x22\\x23\\x24\\x25\\x26\\x27\\x28\\x29\\x2a\\x2b\\x2c\\x2d\\x2e\\x2f\\x30\\x31\\x32\\x33\\x34\\x35\\x36\\x37\\x38\\x39\\x3a\\x3b\\x3c\\x3d\\x3e\\x3f\\x40\\x41\\x42\\x43\\x44\\x45\\x46\\x47\\x48\\x49\\x4a\\x4b\\x4c\\x4d\\x4e\\x4f\\x50\\x51\\x52\\x53\\x54\\x55\\x56\\x57\\x58\\x59\\x5a\\x5b\\x5c\\x5d\\x5e\\x5f\\x60\\x61\\x62\\x63\\x64\\x65\\x66\\x67\\x68\\x69\\x6a\\x6b\\x6c\\x6d\\x6e\\x6f\\x70\\x71\\x72\\x73\\x74\\x75\\x76\\x77\\x78\\x79\\x7a\\x7b\\x7c\\x7d\\x7e\\x7f\\x80\\x81\\x82\\x83\\x84\\x85\\x86\\x87\\x88\\x89\\x8a\\x8b\\x8c\\x8d\\x8e\\x8f\\x90\\x91\\x92\\x93\\x94\\x95\\x96\\x97\\x98\\x99\\x9a\\x9b\\x9c\\x9d\\x9e\\x9f\\xa0\\xa1\\xa2\\xa3\\xa4\\xa5\\xa6\\xa7\\xa8\\xa9\\xaa\\xab\\xac\\xad\\xae\\xaf\\xb0\\xb1\\xb2\\xb3\\xb4\\xb5\\xb6\\xb7\\xb8\\xb9\\xba\\xbb\\xbc\\xbd\\xbe\\xbf\\xc0\\xc1\\xc2\\xc3\\xc4\\xc5\\xc6\\xc7\\xc8\\xc9\\xca\\xcb\\xcc\\xcd\\xce\\xcf\\xd0\\xd1\\xd2\\xd3\\xd4\\xd5\\xd6\\xd7\\xd8\\xd9\\xda\\xdb\\xdc\\xdd\\xde\\xdf\\xe0\\xe1\\xe2\\xe3\\xe4\\xe5\\xe6\\xe7\\xe8\\xe9\\xea\\xeb\\xec\\xed\\xee\\xef\\xf0\\xf1\\xf2\\xf3\\xf4\\xf5\\xf6\\xf7\\xf8\\xf9\\xfa\\xfb\\xfc\\xfd\\xfe\\xff\"\n")]
    [InlineData(true, OutputFormat.Ascii, "................................ !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~.................................................................................................................................")]
    public void Output_matches_nngcat(bool allBytes, OutputFormat format, string expected) => Assert.Equal(expected, Render(allBytes ? All : Small, format));

    [Fact]
    public void Raw_is_the_body() => Assert.Equal(All, OutputFormatter.Format(All, OutputFormat.Raw));

    [Theory]
    [InlineData(OutputFormat.None)]
    [InlineData(OutputFormat.No)]
    public void No_format_prints_nothing(OutputFormat format) => Assert.Empty(OutputFormatter.Format(All, format));

    [Fact]
    public void MsgPack_bin8_for_short_bodies()
    {
        byte[] output = OutputFormatter.Format(Small, OutputFormat.MsgPack);
        Assert.Equal(new byte[] { 0xc4, 14 }, output[..2]);
        Assert.Equal(Small, output[2..]);
        Assert.Equal(new byte[] { 0xc4, 0 }, OutputFormatter.Format([], OutputFormat.MsgPack));
    }

    [Fact]
    public void MsgPack_bin16_from_256_bytes()
    {
        byte[] body = Enumerable.Repeat((byte)'a', 300).ToArray();
        byte[] output = OutputFormatter.Format(body, OutputFormat.MsgPack);
        Assert.Equal(new byte[] { 0xc5, 0x01, 0x2c }, output[..3]); // nngcat: c5 01 2c 61 ...
        Assert.Equal(body, output[3..]);
        Assert.Equal(new byte[] { 0xc5, 0x01, 0x00 }, OutputFormatter.Format(new byte[256], OutputFormat.MsgPack)[..3]);
    }

    [Fact]
    public void MsgPack_bin32_from_65536_bytes()
    {
        byte[] body = Enumerable.Repeat((byte)'b', 70000).ToArray();
        byte[] output = OutputFormatter.Format(body, OutputFormat.MsgPack);
        Assert.Equal(new byte[] { 0xc6, 0x00, 0x01, 0x11, 0x70 }, output[..5]); // nngcat: c6 00 01 11 70 62 ...
        Assert.Equal(body, output[5..]);
        Assert.Equal(new byte[] { 0xc6, 0x00, 0x01, 0x00, 0x00 }, OutputFormatter.Format(new byte[65536], OutputFormat.MsgPack)[..5]);
    }

    [Fact]
    public void Write_flushes_to_the_stream()
    {
        using var stream = new MemoryStream();
        OutputFormatter.Write(stream, "a"u8, OutputFormat.Quoted);
        OutputFormatter.Write(stream, "b"u8, OutputFormat.Quoted);
        Assert.Equal("\"a\"\n\"b\"\n", Encoding.ASCII.GetString(stream.ToArray()));
    }
}
