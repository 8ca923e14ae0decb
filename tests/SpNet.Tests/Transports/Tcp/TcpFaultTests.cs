using System.Buffers.Binary;
using SpNet.TestKit;

namespace SpNet.Tests.Transports.Tcp;

/// <summary>
/// Misbehaving peers, driven by hand over plain sockets. For each: that connection closes, a counter says why,
/// the socket keeps serving a good peer, and nothing throws into user code.
/// </summary>
[Collection(nameof(UnobservedExceptionWatch))]
public sealed class TcpFaultTests : UnobservedWatch
{
    private const ushort Push = 0x50;

    [Fact]
    public async Task Wrong_protocol_id_is_rejected_after_the_handshake()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        var (peer, header) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x20); // PUB talking to PULL
        using (peer)
        {
            Assert.Equal(RawSpPeer.Header(0x51), header); // headers are exchanged first, as NNG does
            Assert.True(await peer.WaitForRemoteCloseAsync(), "PULL kept a PUB peer");
        }
        await Eventually.True(() => pull.Statistics.PipesRejected == 1 && pull.Statistics.ProtocolErrors == 1, $"rejection counted ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.PipesOpened);
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Random_bytes_instead_of_a_header_fail_the_handshake()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        using RawSpPeer peer = await RawSpPeer.ConnectAsync(url);
        byte[] garbage = new byte[8];
        new Random(42).NextBytes(garbage);
        garbage[0] = 0xFF; // certainly not 00 'S' 'P' 00
        await peer.SendAsync(garbage);
        await peer.ReceiveExactlyAsync(8); // our header still arrives: both sides send at once
        Assert.True(await peer.WaitForRemoteCloseAsync(), "listener kept a garbage peer");
        await Eventually.True(() => pull.Statistics.HandshakeFailures == 1 && pull.Statistics.ProtocolErrors == 1, $"handshake failure counted ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.PipesOpened);
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Theory]
    [InlineData("0053500100500000")] // version 1
    [InlineData("0053500000500001")] // reserved 00 01
    public async Task Bad_version_or_reserved_bytes_fail_the_handshake(string hex)
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        using RawSpPeer peer = await RawSpPeer.ConnectAsync(url);
        await peer.SendAsync(Convert.FromHexString(hex));
        Assert.True(await peer.WaitForRemoteCloseAsync());
        await Eventually.True(() => pull.Statistics.HandshakeFailures == 1, $"handshake failure counted ({pull.Statistics})");
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Silent_peer_is_dropped_after_the_handshake_timeout()
    {
        await using var pull = new PullSocket { HandshakeTimeout = TimeSpan.FromMilliseconds(200) };
        string url = pull.ListenTcp();
        using RawSpPeer peer = await RawSpPeer.ConnectAsync(url);
        // A silent peer does not block others meanwhile.
        await pull.AssertPushReachesAsync(url, "good peer");
        Assert.True(await peer.WaitForRemoteCloseAsync(), "silent peer kept");
        await Eventually.True(() => pull.Statistics.HandshakeFailures == 1, $"timeout counted ({pull.Statistics})");
    }

    [Theory]
    [InlineData(1024 * 1024 + 1)]
    [InlineData(0x8000000000000000UL)] // 2^63
    [InlineData(ulong.MaxValue)]
    public async Task Length_over_MaxReceiveSize_closes_the_pipe_before_reading_the_body(ulong length)
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        using (RawSpPeer peer = await pull.ConnectRawPeerAsync(url, Push))
        {
            byte[] prefix = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(prefix, length);
            await peer.SendAsync(prefix); // and no body at all: the close cannot have waited for it
            Assert.True(await peer.WaitForRemoteCloseAsync(), "oversized frame accepted");
        }
        await Eventually.True(() => pull.Statistics.OversizedMessages == 1, $"oversize counted ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.MessagesReceived);
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Length_exactly_at_a_custom_limit_is_accepted_and_one_more_refused()
    {
        await using var pull = new PullSocket { MaxReceiveSize = 100 };
        string url = pull.ListenTcp();
        using (RawSpPeer peer = await pull.ConnectRawPeerAsync(url, Push))
        {
            await peer.SendFrameAsync(new byte[100]);
            using (Message m = await Eventually.Within(pull.ReceiveAsync(), "100-byte message"))
            {
                Assert.Equal(100, m.BodyLength);
            }
            await peer.SendFrameAsync(new byte[101]);
            Assert.True(await peer.WaitForRemoteCloseAsync());
        }
        await Eventually.True(() => pull.Statistics.OversizedMessages == 1, "oversize counted");
    }

    [Fact]
    public async Task Large_message_within_the_limit_spanning_many_reads_arrives_intact()
    {
        await using var pull = new PullSocket();
        using RawSpPeer peer = await pull.ConnectRawPeerAsync(Push);
        byte[] big = new byte[1024 * 1024]; // exactly the default limit
        new Random(7).NextBytes(big);
        await peer.SendFrameAsync(big);
        await peer.SendFrameAsync("after"u8);
        using (Message m = await Eventually.Within(pull.ReceiveAsync(), "1 MiB message"))
        {
            Assert.True(big.AsSpan().SequenceEqual(m.Body));
        }
        Assert.Equal("after", await pull.ReceiveTextAsync());
    }

    [Fact]
    public async Task Frame_cut_off_mid_body_then_closed_delivers_nothing()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        using (RawSpPeer peer = await pull.ConnectRawPeerAsync(url, Push))
        {
            await pull.WaitForPipeCountAsync(1);
            byte[] frame = RawSpPeer.Frame(new byte[1000]);
            await peer.SendAsync(frame.AsMemory(0, 500));
        }
        await Eventually.True(() => pull.Statistics.PipesClosed == 1, $"pipe closed ({pull.Statistics})");
        Assert.Equal(1, pull.Statistics.ConnectionErrors);
        Assert.Equal(0, pull.Statistics.MessagesReceived);
        Assert.False(pull.TryReceive(out _));
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Peer_killed_mid_stream_closes_only_its_pipe()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        RawSpPeer peer = await pull.ConnectRawPeerAsync(url, Push);
        await peer.SendFrameAsync("whole"u8);
        Assert.Equal("whole", await pull.ReceiveTextAsync());
        byte[] frame = RawSpPeer.Frame(new byte[70_000]); // spans more than one read chunk
        await peer.SendAsync(frame.AsMemory(0, 66_000));
        peer.Abort(); // RST
        await Eventually.True(() => pull.Statistics.PipesClosed == 1, $"pipe closed ({pull.Statistics})");
        Assert.Equal(1, pull.Statistics.ConnectionErrors);
        Assert.Equal(1, pull.Statistics.MessagesReceived);
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Dialer_whose_peer_speaks_the_wrong_protocol_redials_with_backoff()
    {
        var accepts = new List<DateTime>();
        await using var server = new RawTcpServer(async peer =>
        {
            lock (accepts)
            {
                accepts.Add(DateTime.UtcNow);
            }
            await peer.SendAsync(RawSpPeer.Header(0x20)); // a PUB, not the PULL a PUSH needs
            await peer.WaitForRemoteCloseAsync();
        });
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(40) };
        Dialer dialer = push.Dial(server.Url);
        await Eventually.True(() => push.Statistics.ConnectAttempts >= 4 && server.Accepted >= 4, $"redials ({push.Statistics})");
        Assert.True(push.Statistics.PipesRejected >= 3, push.Statistics.ToString());
        Assert.True(push.Statistics.ProtocolErrors >= 3, push.Statistics.ToString());
        Assert.Equal(0, push.Statistics.PipesOpened);
        Assert.Equal(SpError.Protocol, dialer.LastError?.Error);
        lock (accepts)
        {
            // Each redial waits at least half the minimum: never a hot loop.
            for (int i = 1; i < accepts.Count; i++)
            {
                Assert.True(accepts[i] - accepts[i - 1] >= TimeSpan.FromMilliseconds(15), $"redial {i} after {(accepts[i] - accepts[i - 1]).TotalMilliseconds} ms");
            }
        }
        long before = push.Statistics.ConnectAttempts;
        await Eventually.True(() => push.Statistics.ConnectAttempts > before, "attempts keep growing over time");
    }

    [Fact]
    public async Task Dialer_whose_peer_sends_garbage_counts_handshake_failures_and_redials()
    {
        await using var server = new RawTcpServer(async peer =>
        {
            await peer.SendAsync("HTTP/1.1"u8.ToArray());
            await peer.WaitForRemoteCloseAsync();
        });
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(30) };
        push.Dial(server.Url);
        await Eventually.True(() => push.Statistics.HandshakeFailures >= 2 && server.Accepted >= 2, $"handshake failures ({push.Statistics})");
        Assert.Equal(0, push.Statistics.PipesOpened);
    }

    [Fact]
    public async Task Dialer_whose_peer_announces_an_oversized_frame_closes_and_redials()
    {
        await using var server = new RawTcpServer(async peer =>
        {
            await peer.SendAsync(RawSpPeer.Header(0x50)); // a PUSH: right peer for our PULL
            await peer.ReceiveExactlyAsync(8);
            byte[] prefix = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(prefix, 0x8000000000000000UL);
            await peer.SendAsync(prefix);
            await peer.WaitForRemoteCloseAsync();
        });
        await using var pull = new PullSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(30) };
        pull.Dial(server.Url);
        await Eventually.True(() => pull.Statistics.OversizedMessages >= 2 && server.Accepted >= 2, $"oversize and redial ({pull.Statistics})");
        Assert.Equal(0, pull.Statistics.MessagesReceived);
    }
}

/// <summary>Tests that watch <see cref="TaskScheduler.UnobservedTaskException"/> run one at a time.</summary>
[CollectionDefinition(nameof(UnobservedExceptionWatch), DisableParallelization = true)]
public sealed class UnobservedExceptionWatch
{
}
