using System.Net.Sockets;
using SpNet.Core;
using SpNet.TestKit;
using SpNet.Transports.Tcp;

namespace SpNet.Tests.Transports.Tcp;

/// <summary>
/// <see cref="Socket.Tcp"/> (<see cref="TcpOptions"/>): keepalive, its tuning and no-delay: defaults, validation, the NNG option names, and that the values
/// really reach the OS sockets of both ends on every TCP-based transport (read back from each pipe's socket).
/// </summary>
public sealed class TcpOptionsTests : IClassFixture<CertificateFixture>
{
    private readonly TestCertificates _certs;

    public TcpOptionsTests(CertificateFixture fixture) => _certs = fixture.Value;

    [Fact]
    public void Defaults_are_off_as_in_nng()
    {
        using var socket = new PairSocket();
        TcpOptionsAssert.SetsNothing(socket.Tcp);
        Assert.Equal(false, socket.GetOption(OptionNames.TcpKeepAlive));
    }

    [Fact]
    public void Options_round_trip()
    {
        using var socket = new ReqSocket
        {
            Tcp =
            {
                KeepAliveTime = TimeSpan.FromSeconds(32767),
                KeepAliveInterval = TimeSpan.FromSeconds(1),
                KeepAliveRetryCount = 127,
                UserTimeout = TimeSpan.FromMilliseconds(int.MaxValue),
            },
        };
        Assert.Equal(TimeSpan.FromSeconds(32767), socket.Tcp.KeepAliveTime);
        Assert.Equal(TimeSpan.FromSeconds(1), socket.Tcp.KeepAliveInterval);
        Assert.Equal(127, socket.Tcp.KeepAliveRetryCount);
        Assert.Equal(TimeSpan.FromMilliseconds(int.MaxValue), socket.Tcp.UserTimeout);

        socket.SetOption("tcp-keepalive", true);
        Assert.True(socket.Tcp.KeepAlive);
        Assert.Equal(true, socket.GetOption("tcp-keepalive"));
        socket.Tcp.KeepAlive = false;
        Assert.Equal(false, socket.GetOption("tcp-keepalive"));

        socket.Tcp.KeepAliveTime = TimeSpan.Zero;
        socket.Tcp.UserTimeout = TimeSpan.Zero;
        Assert.Equal(TimeSpan.Zero, socket.Tcp.KeepAliveTime);
        Assert.Equal(TimeSpan.Zero, socket.Tcp.UserTimeout);
    }

    [Fact]
    public void Option_name_needs_a_boolean()
    {
        using var socket = new PushSocket();
        Assert.Equal(SpError.BadType, Assert.Throws<SpNetException>(() => socket.SetOption("tcp-keepalive", 1)).Error);
        Assert.False(socket.Tcp.KeepAlive);
    }

    public static TheoryData<string, Action<Socket>> InvalidValues => new()
    {
        { "keepalive time negative", s => s.Tcp.KeepAliveTime = TimeSpan.FromSeconds(-1) },
        { "keepalive time over 32767 s", s => s.Tcp.KeepAliveTime = TimeSpan.FromSeconds(32768) },
        { "keepalive time fractional", s => s.Tcp.KeepAliveTime = TimeSpan.FromMilliseconds(1500) },
        { "keepalive time under a second", s => s.Tcp.KeepAliveTime = TimeSpan.FromMilliseconds(1) },
        { "keepalive interval negative", s => s.Tcp.KeepAliveInterval = TimeSpan.FromTicks(-1) },
        { "keepalive interval over 32767 s", s => s.Tcp.KeepAliveInterval = TimeSpan.FromHours(10) },
        { "keepalive interval fractional", s => s.Tcp.KeepAliveInterval = TimeSpan.FromMilliseconds(2001) },
        { "retry count negative", s => s.Tcp.KeepAliveRetryCount = -1 },
        { "retry count over 127", s => s.Tcp.KeepAliveRetryCount = 128 },
        { "user timeout negative", s => s.Tcp.UserTimeout = TimeSpan.FromMilliseconds(-1) },
        { "user timeout infinite", s => s.Tcp.UserTimeout = Timeout.InfiniteTimeSpan },
        { "user timeout over int.MaxValue ms", s => s.Tcp.UserTimeout = TimeSpan.FromMilliseconds(int.MaxValue + 1L) },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_throw_and_change_nothing(string what, Action<Socket> set)
    {
        using var socket = new PairSocket();
        Assert.Throws<ArgumentOutOfRangeException>(() => set(socket));
        Assert.True(socket.Tcp.KeepAliveTime == TimeSpan.Zero && socket.Tcp.KeepAliveInterval == TimeSpan.Zero
            && socket.Tcp.KeepAliveRetryCount == 0 && socket.Tcp.UserTimeout == TimeSpan.Zero, what);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:0")]
    [InlineData("tcp://[::1]:0")]
    [InlineData("tls+tcp://localhost:0")]
    [InlineData("ws://127.0.0.1:0/ka")]
    [InlineData("wss://localhost:0/ka")]
    public async Task Settings_reach_the_os_socket_of_both_ends(string address)
    {
        if (address.Contains("[::1]", StringComparison.Ordinal) && !System.Net.Sockets.Socket.OSSupportsIPv6)
        {
            return; // no IPv6 loopback here; the IPv4 case covers the code path
        }
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        Tune(rep, keepAliveSeconds: 7, intervalSeconds: 3, retries: 4, userTimeoutMs: 1500);
        Tune(req, keepAliveSeconds: 11, intervalSeconds: 2, retries: 5, userTimeoutMs: 2500);
        if (address.StartsWith("tls", StringComparison.Ordinal) || address.StartsWith("wss", StringComparison.Ordinal))
        {
            rep.Tls = _certs.ServerOptions();
            req.Tls = _certs.ClientOptions();
        }
        string url = rep.Listen(address).Url;
        await Eventually.Within(req.DialAsync(url).AsTask(), $"dial {url}");
        await rep.WaitForPipeCountAsync(1);

        AssertTuned(TcpSocketOf(rep), keepAliveSeconds: 7, intervalSeconds: 3, retries: 4, userTimeoutMs: 1500);
        AssertTuned(TcpSocketOf(req), keepAliveSeconds: 11, intervalSeconds: 2, retries: 5, userTimeoutMs: 2500);

        // Still an ordinary pipe.
        await req.SendTextAsync("ping");
        Assert.Equal("ping", await rep.ReceiveTextAsync());
    }

    [Fact]
    public async Task Nothing_is_set_by_default()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        string url = pull.ListenTcp();
        await Eventually.Within(push.DialAsync(url).AsTask(), "dial");
        await pull.WaitForPipeCountAsync(1);
        foreach (System.Net.Sockets.Socket os in new[] { TcpSocketOf(pull), TcpSocketOf(push) })
        {
            Assert.Equal(0, (int)os.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
            if (TcpTuning.UserTimeoutSupported)
            {
                Assert.Equal(0, TcpTuning.ReadUserTimeoutMilliseconds(os));
            }
        }
    }

    [Fact]
    public async Task No_delay_is_on_by_default_and_tcp_nodelay_turns_it_off()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        Assert.Equal(true, push.GetOption(OptionNames.TcpNoDelay));
        pull.SetOption(OptionNames.TcpNoDelay, false);
        Assert.False(pull.Tcp.NoDelay);
        string url = pull.ListenTcp();
        await Eventually.Within(push.DialAsync(url).AsTask(), "dial");
        await pull.WaitForPipeCountAsync(1);
        Assert.False(TcpSocketOf(pull).NoDelay);
        Assert.True(TcpSocketOf(push).NoDelay);
    }

    [Fact]
    public void A_socket_takes_a_shared_tcp_options_object_but_not_null()
    {
        var shared = new TcpOptions { KeepAlive = true };
        using var a = new PairSocket { Tcp = shared };
        using var b = new PairSocket { Tcp = shared };
        Assert.Equal(true, b.GetOption(OptionNames.TcpKeepAlive));
        Assert.Throws<ArgumentNullException>(() => a.Tcp = null!);
    }

    [Fact]
    public async Task Settings_apply_to_endpoints_made_afterwards()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        string url = pull.ListenTcp();
        push.Tcp.KeepAlive = true; // after Listen: the listener keeps what it captured
        await Eventually.Within(push.DialAsync(url).AsTask(), "dial");
        await pull.WaitForPipeCountAsync(1);
        Assert.Equal(0, (int)TcpSocketOf(pull).GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.NotEqual(0, (int)TcpSocketOf(push).GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
    }

    [Fact]
    public async Task Ipc_pipes_have_no_tcp_socket()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // named pipes there; nothing TCP either way
        }
        string path = Addresses.IpcPath("keepalive");
        try
        {
            await using var pull = new PullSocket { Tcp = { KeepAlive = true, UserTimeout = TimeSpan.FromSeconds(1) } };
            await using var push = new PushSocket { Tcp = { KeepAlive = true } };
            string url = pull.Listen("ipc://" + path).Url;
            await Eventually.Within(push.DialAsync(url).AsTask(), "dial");
            await pull.WaitForPipeCountAsync(1);
            Assert.Null(Assert.Single(pull.SnapshotPipes()).TcpSocket);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Tune(Socket socket, int keepAliveSeconds, int intervalSeconds, int retries, int userTimeoutMs)
    {
        socket.Tcp.KeepAlive = true;
        socket.Tcp.KeepAliveTime = TimeSpan.FromSeconds(keepAliveSeconds);
        socket.Tcp.KeepAliveInterval = TimeSpan.FromSeconds(intervalSeconds);
        socket.Tcp.KeepAliveRetryCount = retries;
        socket.Tcp.UserTimeout = TimeSpan.FromMilliseconds(userTimeoutMs);
    }

    private static void AssertTuned(System.Net.Sockets.Socket os, int keepAliveSeconds, int intervalSeconds, int retries, int userTimeoutMs)
    {
        Assert.NotEqual(0, (int)os.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(keepAliveSeconds, (int)os.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!);
        Assert.Equal(intervalSeconds, (int)os.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!);
        Assert.Equal(retries, (int)os.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!);
        if (TcpTuning.UserTimeoutSupported)
        {
            Assert.Equal(userTimeoutMs, TcpTuning.ReadUserTimeoutMilliseconds(os));
        }
    }

    private static System.Net.Sockets.Socket TcpSocketOf(Socket socket)
    {
        Pipe pipe = Assert.Single(socket.SnapshotPipes());
        return pipe.TcpSocket ?? throw new InvalidOperationException($"{socket}'s pipe to {pipe.RemoteAddress} has no TCP socket");
    }
}
