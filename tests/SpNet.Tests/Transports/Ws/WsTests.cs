using SpNet.TestKit;

namespace SpNet.Tests.Transports.Ws;

/// <summary>Every pattern over ws://, SpNet on both ends, with each side listening in turn; ports shared by path.</summary>
public sealed class WsTests
{
    private const string Loopback = "ws://127.0.0.1:0/sp";

    /// <summary>Each pattern with its usual listener (the pull, subscriber, replier, first pair socket) and with its peer listening.</summary>
    public static TheoryData<string, bool> PatternsAndSides()
    {
        var rows = new TheoryData<string, bool>();
        foreach (string pattern in TransportPatterns.Names)
        {
            rows.Add(pattern, false);
            rows.Add(pattern, true);
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(PatternsAndSides))]
    public Task Pattern_over_ws(string pattern, bool peerListens) => new TransportPatterns(() => Loopback, reversed: peerListens).RunAsync(pattern);

    [Fact]
    public async Task Two_listeners_share_one_port_on_different_paths()
    {
        await using var pullA = new PullSocket();
        await using var pullB = new PullSocket();
        string urlA = pullA.Listen("ws://127.0.0.1:0/a").Url;
        int port = Addresses.PortOf(urlA);
        string urlB = pullB.Listen($"ws://127.0.0.1:{port}/b/").Url;
        Assert.Equal($"ws://127.0.0.1:{port}/b/", urlB);

        await using var pushA = new PushSocket();
        await using var pushB = new PushSocket();
        pushA.Dial(urlA);
        pushB.Dial($"ws://127.0.0.1:{port}/b"); // trailing '/' is ignored when matching
        await pushA.SendTextAsync("to a");
        await pushB.SendTextAsync("to b");
        Assert.Equal("to a", await pullA.ReceiveTextAsync());
        Assert.Equal("to b", await pullB.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_same_path_twice_on_one_port_is_address_in_use()
    {
        await using var a = new PullSocket();
        await using var b = new PullSocket();
        int port = Addresses.PortOf(a.Listen("ws://127.0.0.1:0/x").Url);
        var ex = Assert.Throws<SpNetException>(() => b.Listen($"ws://127.0.0.1:{port}/x/"));
        Assert.Equal(SpError.AddressInUse, ex.Error);
    }

    [Fact]
    public async Task The_port_stays_open_while_one_listener_remains_and_closes_with_the_last()
    {
        await using var a = new PullSocket();
        await using var b = new PullSocket();
        Listener first = a.Listen("ws://127.0.0.1:0/one");
        int port = Addresses.PortOf(first.Url);
        Listener second = b.Listen($"ws://127.0.0.1:{port}/two");
        await first.DisposeAsync();
        using (RawWsClient client = await RawWsClient.ConnectAsync(port))
        {
            await client.SendTextAsync(RawWsClient.UpgradeRequest("/one", $"127.0.0.1:{port}", "pull.sp.nanomsg.org"));
            Assert.Equal(404, await client.ReadStatusAsync()); // its path is gone, the port is not
        }
        await second.DisposeAsync();
        // The port is free again: a new listener can bind it.
        await using var c = new PullSocket();
        Assert.Equal($"ws://127.0.0.1:{port}/three", c.Listen($"ws://127.0.0.1:{port}/three").Url);
    }

    [Fact]
    public async Task A_url_without_a_path_serves_slash_and_default_port_is_80()
    {
        await using var pull = new PullSocket();
        string url = pull.Listen("ws://127.0.0.1:0").Url;
        await pull.AssertPushReachesAsync(url + "/", "root");

        var parsed = SpNet.Transports.SpUrl.Parse("ws://example.org").WithHostPort(SpNet.Transports.Ws.WsTransport.DefaultPort);
        Assert.Equal(80, parsed.Port);
        Assert.Equal("example.org", SpNet.Transports.Ws.WsHandshake.HostField(parsed, 80));
    }

    [Fact]
    public async Task Wildcard_listener_accepts_on_loopback()
    {
        await using var pull = new PullSocket();
        string url = pull.Listen("ws://*:0/any").Url;
        await pull.AssertPushReachesAsync($"ws://127.0.0.1:{Addresses.PortOf(url)}/any", "anywhere");
    }

    [Fact]
    public async Task Ipv6_loopback_works()
    {
        if (!System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            return;
        }
        await using var pull = new PullSocket();
        string url = pull.Listen("ws://[::1]:0/six").Url;
        Assert.StartsWith("ws://[::1]:", url, StringComparison.Ordinal);
        await pull.AssertPushReachesAsync(url, "v6");
    }

    [Fact]
    public async Task A_ten_mebibyte_message_arrives_intact()
    {
        await using var pull = new PullSocket { MaxReceiveSize = 16 * 1024 * 1024 };
        await using var push = new PushSocket();
        push.Dial(pull.Listen(Loopback).Url);
        byte[] big = new byte[10 * 1024 * 1024];
        new Random(7).NextBytes(big);
        await Eventually.Within(push.SendAsync(big), "sending 10 MiB", TimeSpan.FromSeconds(20));
        using Message m = await Eventually.Within(pull.ReceiveAsync(), "receiving 10 MiB", TimeSpan.FromSeconds(20));
        Assert.True(big.AsSpan().SequenceEqual(m.Body), "10 MiB body differs");
    }

    [Fact]
    public void Accept_key_matches_rfc_6455_and_vector_14()
    {
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", SpNet.Transports.Ws.WsHandshake.AcceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:5555", true)]
    [InlineData("127.0.0.1", "localhost:5555", false)]
    [InlineData("localhost", "LOCALHOST", true)]
    [InlineData("::1", "[::1]:80", true)]
    [InlineData("::1", "[0:0::1]", true)]
    [InlineData(null, "anything", true)]
    [InlineData("*", null, true)]
    [InlineData("localhost", null, false)]
    public void Host_check_follows_nng(string? listenerHost, string? hostField, bool expected) =>
        Assert.Equal(expected, SpNet.Transports.Ws.WsHandshake.HostMatches(listenerHost, hostField));
}
