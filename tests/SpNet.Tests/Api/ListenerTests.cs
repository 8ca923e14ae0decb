using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

/// <summary>A fact that is skipped when this machine cannot bind <c>[::1]</c>.</summary>
public sealed class IPv6FactAttribute : FactAttribute
{
    public IPv6FactAttribute()
    {
        if (!CanBindIPv6Loopback())
        {
            Skip = "IPv6 loopback is not available on this machine";
        }
    }

    private static bool CanBindIPv6Loopback()
    {
        if (!System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            return false;
        }
        try
        {
            using var probe = new System.Net.Sockets.Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp);
            probe.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

public class ListenerTests
{
    [Fact]
    public async Task Port_zero_reports_the_real_port()
    {
        await using var pull = new PullSocket();
        Listener listener = pull.Listen("tcp://127.0.0.1:0");
        int port = Addresses.PortOf(listener.Url);
        Assert.InRange(port, 1, 65535);
        Assert.Equal($"tcp://127.0.0.1:{port}", listener.Url);
        using var probe = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await probe.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(TimeSpan.FromSeconds(3));
        Assert.True(probe.Connected);
    }

    [Fact]
    public async Task Listening_twice_on_one_port_is_AddressInUse()
    {
        await using var a = new PullSocket();
        await using var b = new PullSocket();
        string url = a.ListenTcp();
        var ex = Assert.Throws<SpNetException>(() => b.Listen(url));
        Assert.Equal(SpError.AddressInUse, ex.Error);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.Empty(b.Listeners);
        // The same socket cannot bind it twice either; the first listener is unharmed.
        Assert.Equal(SpError.AddressInUse, Assert.Throws<SpNetException>(() => a.Listen(url)).Error);
        await a.AssertPushReachesAsync(url, "still bound");
    }

    [Fact]
    public async Task Inproc_name_in_use_is_AddressInUse()
    {
        await using var a = new PullSocket();
        await using var b = new PullSocket();
        string url = Addresses.Inproc("dup");
        a.Listen(url);
        Assert.Equal(SpError.AddressInUse, Assert.Throws<SpNetException>(() => b.Listen(url)).Error);
    }

    [IPv6Fact]
    public async Task IPv6_loopback_port_zero_works()
    {
        await using var pull = new PullSocket();
        string url = pull.Listen("tcp://[::1]:0").Url;
        Assert.StartsWith("tcp://[::1]:", url, StringComparison.Ordinal);
        Assert.NotEqual(0, Addresses.PortOf(url));
        await pull.AssertPushReachesAsync(url, "v6");
    }

    [Fact]
    public async Task Localhost_port_zero_works()
    {
        await using var pull = new PullSocket();
        string url = pull.Listen("tcp://localhost:0").Url;
        Assert.StartsWith("tcp://localhost:", url, StringComparison.Ordinal);
        Assert.NotEqual(0, Addresses.PortOf(url));
        await pull.AssertPushReachesAsync(url, "named", timeout: TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Wildcard_port_zero_accepts_on_loopback()
    {
        await using var pull = new PullSocket();
        string url = pull.Listen("tcp://*:0").Url;
        int port = Addresses.PortOf(url);
        Assert.NotEqual(0, port);
        await pull.AssertPushReachesAsync($"tcp://127.0.0.1:{port}", "any");
    }

    [Fact]
    public async Task Closed_listener_frees_its_port_and_keeps_existing_pipes()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromSeconds(10) };
        Listener listener = pull.Listen(Addresses.TcpLoopback);
        string url = listener.Url;
        push.Dial(url);
        await pull.WaitForPipeCountAsync(1);
        await listener.DisposeAsync();
        Assert.Empty(pull.Listeners);
        await push.SendTextAsync("after close");
        Assert.Equal("after close", await pull.ReceiveTextAsync());
        await using var other = new PullSocket();
        other.Listen(url); // the port is free again
    }
}
