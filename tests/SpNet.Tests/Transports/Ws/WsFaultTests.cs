using System.Net;
using System.Net.Sockets;
using System.Text;
using SpNet.TestKit;
using SpNet.Tests.Transports.Tcp;

namespace SpNet.Tests.Transports.Ws;

/// <summary>
/// Misbehaving HTTP and WebSocket peers, driven by hand. For each: the right HTTP status or close, a counter where
/// one applies, and the listener keeps serving a good peer afterwards.
/// </summary>
[Collection(nameof(UnobservedExceptionWatch))]
public sealed class WsFaultTests
{
    private static async Task<(PullSocket Pull, string Url, int Port)> ListenAsync(string path = "/sp", long maxReceiveSize = 1024 * 1024)
    {
        var pull = new PullSocket { MaxReceiveSize = maxReceiveSize };
        string url = pull.Listen($"ws://127.0.0.1:0{path}").Url;
        await Task.CompletedTask;
        return (pull, url, Addresses.PortOf(url));
    }

    private static async Task<int> StatusForAsync(int port, string request)
    {
        using RawWsClient client = await RawWsClient.ConnectAsync(port);
        await client.SendTextAsync(request);
        int status = await client.ReadStatusAsync();
        Assert.True(await client.Peer.WaitForRemoteCloseAsync(), "the connection stayed open after an error status");
        return status;
    }

    /// <summary>Sends the request built for the listener's port, expects <paramref name="status"/>, then checks a good peer still gets through.</summary>
    private static async Task AssertRefusedAsync(int status, Func<int, string> request)
    {
        var (pull, url, port) = await ListenAsync();
        await using (pull)
        {
            Assert.Equal(status, await StatusForAsync(port, request(port)));
            await pull.AssertPushReachesAsync(url, "good peer");
        }
    }

    [Fact]
    public Task Unknown_path_is_404() =>
        AssertRefusedAsync(404, port => RawWsClient.UpgradeRequest("/elsewhere", $"127.0.0.1:{port}", "pull.sp.nanomsg.org"));

    [Fact]
    public Task Wrong_host_is_404_as_nng() =>
        AssertRefusedAsync(404, port => RawWsClient.UpgradeRequest("/sp", $"localhost:{port}", "pull.sp.nanomsg.org"));

    [Theory]
    [InlineData("push.sp.nanomsg.org")] // our own name instead of the listener's
    [InlineData("rep.sp.nanomsg.org")]
    [InlineData(null)]                  // missing
    public async Task Wrong_or_missing_subprotocol_is_400_and_counted(string? subProtocol)
    {
        var (pull, url, port) = await ListenAsync();
        await using (pull)
        {
            Assert.Equal(400, await StatusForAsync(port, RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", subProtocol)));
            await Eventually.True(() => pull.Statistics.HandshakeFailures == 1, $"handshake failure counted ({pull.Statistics})");
            Assert.Equal(0, pull.Statistics.PipesOpened);
            await pull.AssertPushReachesAsync(url, "good peer");
        }
    }

    [Fact]
    public Task A_plain_get_on_the_path_is_400() =>
        AssertRefusedAsync(400, port => $"GET /sp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");

    [Fact]
    public Task A_post_is_405() =>
        AssertRefusedAsync(405, port => $"POST /sp HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n");

    [Theory]
    [InlineData("\u0001\u0002garbage\r\n\r\n")]
    [InlineData("HELLO\r\n\r\n")]
    [InlineData("GET /sp FTP/9\r\n\r\n")]
    [InlineData("GET /sp HTTP/1.1\r\nno colon here\r\n\r\n")]
    public Task Http_garbage_is_400(string request) => AssertRefusedAsync(400, _ => request);

    [Fact]
    public async Task An_endless_head_is_cut_off_with_400()
    {
        var (pull, url, port) = await ListenAsync();
        await using (pull)
        {
            using RawWsClient client = await RawWsClient.ConnectAsync(port);
            await client.SendTextAsync("GET /sp HTTP/1.1\r\n" + new string('X', 9000));
            Assert.Equal(400, await client.ReadStatusAsync());
            await pull.AssertPushReachesAsync(url, "good peer");
        }
    }

    [Fact]
    public async Task A_silent_connection_is_dropped_after_the_handshake_timeout()
    {
        await using var pull = new PullSocket { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        string url = pull.Listen("ws://127.0.0.1:0/sp").Url;
        using RawWsClient client = await RawWsClient.ConnectAsync(Addresses.PortOf(url));
        Assert.True(await client.Peer.WaitForRemoteCloseAsync(TimeSpan.FromSeconds(3)), "a silent client was kept");
        await pull.AssertPushReachesAsync(url, "good peer");
    }

    [Fact]
    public async Task Listener_answers_101_with_accept_and_subprotocol_then_sends_binary_frames_of_at_most_64_KiB()
    {
        await using var push = new PushSocket();
        string url = push.Listen("ws://127.0.0.1:0/sp").Url;
        using RawWsClient client = await RawWsClient.ConnectAsync(Addresses.PortOf(url));
        await client.SendTextAsync(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{Addresses.PortOf(url)}", "push.sp.nanomsg.org"));
        string head = await client.ReadHeadAsync();
        Assert.StartsWith("HTTP/1.1 101 ", head, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", head, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Protocol: push.sp.nanomsg.org", head, StringComparison.Ordinal);
        await push.WaitForPipeCountAsync(1);

        byte[] big = new byte[200_000];
        new Random(3).NextBytes(big);
        await Eventually.Within(push.SendAsync(big), "send 200 kB");
        var received = new List<byte>();
        int frames = 0;
        while (true)
        {
            var (fin, opcode, payload) = await client.ReadFrameAsync();
            Assert.Equal(frames == 0 ? 2 : 0, opcode); // binary, then continuations
            Assert.True(payload.Length <= 64 * 1024, $"frame of {payload.Length} bytes");
            received.AddRange(payload);
            frames++;
            if (fin)
            {
                break;
            }
        }
        Assert.Equal(4, frames);
        Assert.True(big.AsSpan().SequenceEqual(received.ToArray()));

        // A small message is one frame: vector 16's shape (82 len payload), no SP length prefix.
        await push.SendTextAsync("world");
        var (smallFin, smallOp, small) = await client.ReadFrameAsync();
        Assert.True(smallFin);
        Assert.Equal(2, smallOp);
        Assert.Equal("world"u8.ToArray(), small);
    }

    [Fact]
    public async Task Fragmented_client_messages_are_reassembled_and_vector_15_is_accepted()
    {
        await using var rep = new RepSocket();
        string url = rep.Listen("ws://127.0.0.1:0/sp").Url;
        int port = Addresses.PortOf(url);
        using RawWsClient client = await RawWsClient.ConnectAsync(port);
        await client.SendTextAsync(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", "rep.sp.nanomsg.org"));
        Assert.StartsWith("HTTP/1.1 101 ", await client.ReadHeadAsync(), StringComparison.Ordinal);

        // Vector 15: REQ id 0x8000002a + "hello" in one masked frame.
        await client.Peer.SendAsync(Convert.FromHexString("828901020304810203" + "2e69676f686e"));
        Assert.Equal("hello", await rep.ReceiveTextAsync());
        await rep.SendTextAsync("world");
        var (_, _, reply) = await client.ReadFrameAsync();
        Assert.Equal(Convert.FromHexString("8000002a776f726c64"), reply); // vector 16's payload

        // The same request split over three frames (binary, continuation, continuation).
        byte[] request = [0x80, 0x00, 0x00, 0x2b, .. "fragmented"u8];
        await client.SendFrameAsync(2, false, request.AsSpan(0, 3));
        await client.SendFrameAsync(0, false, request.AsSpan(3, 5));
        await client.SendFrameAsync(0, true, request.AsSpan(8));
        Assert.Equal("fragmented", await rep.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_text_message_closes_the_pipe_with_1003()
    {
        var (pull, url, port) = await ListenAsync();
        await using (pull)
        {
            using RawWsClient client = await RawWsClient.ConnectAsync(port);
            await client.SendTextAsync(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", "pull.sp.nanomsg.org"));
            Assert.StartsWith("HTTP/1.1 101 ", await client.ReadHeadAsync(), StringComparison.Ordinal);
            await client.SendFrameAsync(1, true, "text"u8);
            var (_, opcode, payload) = await client.ReadFrameAsync();
            Assert.Equal(8, opcode);
            Assert.Equal(1003, payload[0] << 8 | payload[1]);
            await Eventually.True(() => pull.Statistics.ProtocolErrors == 1 && pull.Statistics.CurrentPipes == 0, $"text message refused ({pull.Statistics})");
            await pull.AssertPushReachesAsync(url, "good peer");
        }
    }

    [Fact]
    public async Task An_oversized_message_closes_the_pipe_and_is_counted()
    {
        var (pull, url, port) = await ListenAsync(maxReceiveSize: 1000);
        await using (pull)
        {
            await using (var push = new PushSocket())
            {
                push.Dial(url);
                await pull.WaitForPipeCountAsync(1);
                await push.SendAsync(new byte[1001]);
                await Eventually.True(() => pull.Statistics.OversizedMessages == 1, $"oversized message counted ({pull.Statistics})");
                await Eventually.True(() => pull.Statistics.PipesClosed >= 1, $"pipe closed ({pull.Statistics})");
            }
            Assert.False(pull.TryReceive(out _));
            await pull.AssertPushReachesAsync(url, "good peer");
        }
    }

    [Fact]
    public async Task Dialer_sends_nng_upgrade_request_bytes_vector_13()
    {
        using var server = new HandWsServer();
        int port = server.Port;
        await using var req = new ReqSocket();
        req.Dial($"ws://127.0.0.1:{port}/test");
        using HandWsServer.Upgrade upgrade = await server.AcceptUpgradeAsync();
        (RawSpPeer peer, string text, string key) = (upgrade.Peer, upgrade.Head, upgrade.Key);
        Assert.Equal(24, key.Length);
        Assert.Equal(
            $"GET /test HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n" +
            "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n",
            text);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", "HTTP 404")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n", "subprotocol")]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: AAAA\r\nSec-WebSocket-Protocol: rep.sp.nanomsg.org\r\n\r\n", "Accept")]
    public async Task Dialer_refuses_a_bad_upgrade_response_naming_the_url(string response, string expected)
    {
        using var server = new HandWsServer();
        int port = server.Port;
        await using var req = new ReqSocket();
        Task dial = req.DialAsync($"ws://127.0.0.1:{port}/x").AsTask();
        using HandWsServer.Upgrade upgrade = await server.AcceptUpgradeAsync();
        (RawSpPeer peer, string key) = (upgrade.Peer, upgrade.Key);
        await peer.SendAsync(Encoding.ASCII.GetBytes(response.Replace("{accept}", SpNet.Transports.Ws.WsHandshake.AcceptFor(key), StringComparison.Ordinal)));
        var ex = await Assert.ThrowsAsync<SpNetException>(() => dial.WaitAsync(Eventually.DefaultTimeout));
        Assert.Contains($"ws://127.0.0.1:{port}/x", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_sent_right_behind_the_request_is_not_lost()
    {
        var (pull, url, port) = await ListenAsync();
        await using (pull)
        {
            using RawWsClient client = await RawWsClient.ConnectAsync(port);
            byte[] request = Encoding.ASCII.GetBytes(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", "pull.sp.nanomsg.org"));
            await client.Peer.SendAsync((byte[])[.. request, .. RawWsClient.Frame(2, true, "eager"u8)]);
            Assert.StartsWith("HTTP/1.1 101 ", await client.ReadHeadAsync(), StringComparison.Ordinal);
            Assert.Equal("eager", await pull.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Dialer_keeps_a_frame_that_arrives_with_the_101()
    {
        using var server = new HandWsServer();
        await using var pull = new PullSocket();
        pull.Dial($"ws://127.0.0.1:{server.Port}/");
        using HandWsServer.Upgrade upgrade = await server.AcceptUpgradeAsync();
        (RawSpPeer peer, string key) = (upgrade.Peer, upgrade.Key);
        byte[] answer = Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Accept: {SpNet.Transports.Ws.WsHandshake.AcceptFor(key)}\r\nSec-WebSocket-Protocol: push.sp.nanomsg.org\r\n\r\n");
        await peer.SendAsync((byte[])[.. answer, 0x82, 0x04, .. "same"u8]); // an unmasked server frame in the same write
        Assert.Equal("same", await pull.ReceiveTextAsync());
    }

    /// <summary>A plain TCP listener on 127.0.0.1 that plays a ws server by hand, to see and answer a dialer's upgrade.</summary>
    private sealed class HandWsServer : IDisposable
    {
        private readonly System.Net.Sockets.TcpListener _server = new(IPAddress.Loopback, 0);

        public HandWsServer()
        {
            _server.Start();
            Port = ((IPEndPoint)_server.LocalEndpoint).Port;
        }

        public int Port { get; }

        /// <summary>Accepts the dialer and reads its upgrade request: the connection, the whole request head and its key.</summary>
        public async Task<Upgrade> AcceptUpgradeAsync()
        {
            RawSpPeer peer = RawSpPeer.Wrap(await _server.AcceptSocketAsync().WaitAsync(Eventually.DefaultTimeout));
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                head.Append((char)(await peer.ReceiveExactlyAsync(1))[0]);
            }
            string text = head.ToString();
            return new Upgrade(peer, text, text.Split("Sec-WebSocket-Key: ")[1].Split("\r\n")[0]);
        }

        public void Dispose() => _server.Dispose();

        /// <summary>An accepted dialer and its upgrade request; disposing it closes the connection.</summary>
        public sealed record Upgrade(RawSpPeer Peer, string Head, string Key) : IDisposable
        {
            public void Dispose() => Peer.Dispose();
        }
    }
}
