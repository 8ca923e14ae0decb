using System.Net.Sockets;
using SpNet.Transports.Framing;

namespace SpNet.Tests.Transports.Framing;

public class HandshakeTests
{
    // wire-protocol.md §8 vectors 1-3.
    [Theory]
    [InlineData(0x30, "0053500000300000")] // REQ (verified against NNG and nanomsg)
    [InlineData(0x31, "0053500000310000")] // REP
    [InlineData(0x62, "0053500000620000")] // SURVEYOR
    [InlineData(0x11, "0053500000110000")] // PAIR1
    [InlineData(0x20, "0053500000200000")] // PUB
    [InlineData(0x640, "0053500006400000")] // STAR (mangos)
    public void Write_produces_the_reference_header(int protocol, string hex)
    {
        byte[] header = new byte[Handshake.Size];
        Handshake.Write(header, (ushort)protocol);
        Assert.Equal(hex, Convert.ToHexString(header).ToLowerInvariant());
    }

    [Theory]
    [InlineData("0053500000300000", 0x30)]
    [InlineData("0053500006400000", 0x640)]
    [InlineData("005350000010ffff", -1)] // reserved set: refused
    public void Parse_reads_the_protocol_id(string hex, int expected)
    {
        byte[] header = Convert.FromHexString(hex);
        if (expected < 0)
        {
            var ex = Assert.Throws<SpNetException>(() => Handshake.Parse(header));
            Assert.Equal(SpError.Protocol, ex.Error);
            return;
        }
        Assert.Equal((ushort)expected, Handshake.Parse(header));
    }

    [Fact]
    public void Write_then_Parse_round_trips_every_protocol_id()
    {
        byte[] header = new byte[Handshake.Size];
        foreach (ushort id in new ushort[] { 0x10, 0x11, 0x20, 0x21, 0x30, 0x31, 0x50, 0x51, 0x62, 0x63, 0x70, 0x640, 0xFFFF })
        {
            Handshake.Write(header, id);
            Assert.Equal(id, Handshake.Parse(header));
        }
    }

    [Theory]
    [InlineData("0153500000300000", "not an SP peer")] // byte 0
    [InlineData("0054500000300000", "not an SP peer")] // 'T' instead of 'S'
    [InlineData("0053510000300000", "not an SP peer")] // 'Q' instead of 'P'
    [InlineData("4745542f20485454", "not an SP peer")] // "GET / HTT": an HTTP client
    [InlineData("0053500100300000", "version")] // version 1
    [InlineData("005350ff00300000", "version")] // version 255
    [InlineData("0053500000300001", "reserved")] // reserved 00 01 (NNG closes: verified)
    [InlineData("005350000030ab00", "reserved")] // reserved ab 00
    [InlineData("00535000003000", "truncated")] // 7 bytes
    [InlineData("", "truncated")]
    public void Parse_rejects_malformed_headers(string hex, string why)
    {
        byte[] header = Convert.FromHexString(hex);
        var ex = Assert.Throws<SpNetException>(() => Handshake.Parse(header));
        Assert.Equal(SpError.Protocol, ex.Error);
        Assert.Contains(why, ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Both halves of a handshake at once, <paramref name="a"/> announcing <paramref name="ours"/> and <paramref name="b"/>
    /// <paramref name="theirs"/>, each with <paramref name="timeout"/>: each side must return the other's protocol within <paramref name="wait"/>.
    /// </summary>
    private static async Task AssertExchangeAsync(NetworkStream a, ushort ours, NetworkStream b, ushort theirs, TimeSpan timeout, TimeSpan wait)
    {
        Task<ushort> left = Handshake.ExchangeAsync(a, ours, timeout, "test://a", CancellationToken.None).AsTask();
        Task<ushort> right = Handshake.ExchangeAsync(b, theirs, timeout, "test://b", CancellationToken.None).AsTask();
        Assert.Equal(theirs, await left.WaitAsync(wait));
        Assert.Equal(ours, await right.WaitAsync(wait));
    }

    [Fact]
    public async Task ExchangeAsync_sends_ours_and_returns_the_peers_protocol()
    {
        var (a, b) = StreamPair.Create();
        await using (a)
        await using (b)
        {
            await AssertExchangeAsync(a, 0x30, b, 0x31, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
        }
    }

    [Fact]
    public async Task ExchangeAsync_over_a_socket_leaves_it_without_an_async_send_operation()
    {
        // The socket keeps the operation object of its first async send for life (~0.4 KB); a pipe that never sends
        // (PULL, SUB) must not get one from the handshake. Seen through the runtime's field for it: the second half
        // proves the field is the one an async write fills.
        var (a, b) = StreamPair.Create();
        await using (a)
        await using (b)
        {
            await AssertExchangeAsync(a, 0x50, b, 0x51, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

            var field = typeof(System.Net.Sockets.Socket).GetField("_singleBufferSendEventArgs", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
            Assert.NotNull(field);
            Assert.Null(field.GetValue(a.Socket));
            Assert.Null(field.GetValue(b.Socket));

            await a.WriteAsync(new byte[] { 1 });
            Assert.NotNull(field.GetValue(a.Socket));
        }
    }

    [Fact]
    public async Task ExchangeAsync_times_out_when_the_peer_stays_silent()
    {
        var (a, b) = StreamPair.Create();
        await using (a)
        await using (b)
        {
            var ex = await Assert.ThrowsAsync<SpNetException>(() =>
                Handshake.ExchangeAsync(a, 0x30, TimeSpan.FromMilliseconds(100), "test://silent", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(3)));
            Assert.Equal(SpError.TimedOut, ex.Error);
            Assert.Contains("test://silent", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ExchangeAsync_reports_a_peer_closing_mid_header()
    {
        var (a, b) = StreamPair.Create();
        await using (a)
        {
            await b.WriteAsync(new byte[] { 0x00, 0x53, 0x50 });
            await b.DisposeAsync();
            var ex = await Assert.ThrowsAsync<SpNetException>(() =>
                Handshake.ExchangeAsync(a, 0x30, TimeSpan.FromSeconds(2), "test://cut", CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(3)));
            Assert.True(ex.Error is SpError.ConnectionShutdown or SpError.ConnectionReset, ex.Error.ToString());
        }
    }
}
