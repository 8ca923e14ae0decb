using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

public class DialerTests
{
    [Fact]
    public async Task DialAsync_to_a_closed_port_throws_ConnectionRefused_naming_the_url()
    {
        await using var push = new PushSocket();
        string url = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
        var ex = await Assert.ThrowsAsync<SpNetException>(() => push.DialAsync(url).AsTask().WaitAsync(TimeSpan.FromSeconds(3)));
        Assert.Equal(SpError.ConnectionRefused, ex.Error);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.Empty(push.Dialers); // a failed DialAsync leaves nothing behind
    }

    [Fact]
    public async Task DialAsync_completes_once_connected()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        Dialer dialer = await Eventually.Within(push.DialAsync(pull.ListenTcp()), "DialAsync");
        Assert.True(dialer.IsConnected);
        Assert.Equal(1, dialer.ConnectionCount);
        await push.SendTextAsync("x");
        Assert.Equal("x", await pull.ReceiveTextAsync());
    }

    [Fact]
    public async Task Invalid_urls_are_refused_at_once()
    {
        await using var push = new PushSocket();
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => push.Dial("tcp://127.0.0.1")).Error);
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => push.Dial("tcp://*:5555")).Error);
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => push.Dial("tcp://127.0.0.1:0")).Error);
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => push.Dial("no-scheme")).Error);
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => push.Dial("tcp://::1:5555")).Error);
    }

    [Fact]
    public async Task Background_dial_connects_when_a_listener_appears_and_again_after_it_restarts()
    {
        int port = TestNetwork.FreePort();
        string url = $"tcp://127.0.0.1:{port}";
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(50) };
        Dialer dialer = push.Dial(url);
        await Eventually.True(() => push.Statistics.ConnectAttempts >= 2, "dialer keeps trying while nobody listens");
        Assert.Equal(SpError.ConnectionRefused, dialer.LastError?.Error);
        Assert.False(dialer.IsConnected);

        await using (var pull = new PullSocket())
        {
            pull.Listen(url);
            await Eventually.True(() => dialer.IsConnected, "connected once the listener exists");
            await push.SendTextAsync("first life");
            Assert.Equal("first life", await pull.ReceiveTextAsync());
        }

        await Eventually.True(() => !dialer.IsConnected, "connection lost with the listener");
        await using (var pull = new PullSocket())
        {
            pull.Listen(url);
            await Eventually.True(() => dialer.ConnectionCount == 2 && dialer.IsConnected, "reconnected after the restart");
            await push.SendTextAsync("second life");
            Assert.Equal("second life", await pull.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Redial_waits_grow_with_ReconnectMaxTime()
    {
        int port = TestNetwork.FreePort();
        await using var push = new PushSocket
        {
            ReconnectMinTime = TimeSpan.FromMilliseconds(20),
            ReconnectMaxTime = TimeSpan.FromMilliseconds(400),
        };
        push.Dial($"tcp://127.0.0.1:{port}");
        // Nominal waits 20, 40, 80, 160, 320, 400…, each at least half: 5 attempts take at least 10+20+40+80 = 150 ms.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.True(() => push.Statistics.ConnectAttempts >= 5, "five attempts");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(140), $"five attempts in {clock.Elapsed.TotalMilliseconds} ms");
        Assert.True(push.Statistics.ConnectFailures >= 4);
    }

    [Fact]
    public async Task Closing_a_dialer_stops_redialing_and_drops_its_pipe()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(20) };
        Dialer dialer = push.Dial(pull.ListenTcp());
        await pull.WaitForPipeCountAsync(1);
        await dialer.DisposeAsync();
        await pull.WaitForPipeCountAsync(0);
        long attempts = push.Statistics.ConnectAttempts;
        Assert.Empty(push.Dialers);
        // Nothing new within several redial periods (bounded observation, not a hope).
        await Task.Delay(150);
        Assert.Equal(attempts, push.Statistics.ConnectAttempts);
    }
}
