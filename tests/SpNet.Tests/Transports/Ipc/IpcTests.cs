using System.Runtime.Versioning;
using System.Buffers.Binary;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Tests.Transports.Ipc;

/// <summary>ipc://, unix:// and abstract://: every pattern, path forms, stale and live socket files, permissions, bad peers.</summary>
[SupportedOSPlatform("linux")]
public sealed class IpcTests : IDisposable
{
    private readonly List<string> _paths = [];

    public void Dispose()
    {
        foreach (string path in _paths)
        {
            File.Delete(path);
        }
    }

    private string NewPath()
    {
        string path = Addresses.IpcPath("ipc");
        _paths.Add(path);
        return path;
    }

    private TransportPatterns OverIpc => new(() => "ipc://" + NewPath());

    private static TransportPatterns OverAbstract => new(() => Addresses.Abstract("abs"));

    [Theory, MemberData(nameof(TransportPatterns.Names), MemberType = typeof(TransportPatterns))]
    public Task Pattern_over_ipc(string pattern) => OverIpc.RunAsync(pattern);

    [Fact] public Task Ten_MiB_message_over_ipc_arrives_intact() => OverIpc.LargeMessageAsync(10 * 1024 * 1024);

    [Fact] public Task Unix_scheme_is_an_alias() => new TransportPatterns(() => "unix://" + NewPath()).PushPullAsync();

    [Theory]
    [InlineData("Pair")]
    [InlineData("ReqRep")]
    public Task Pattern_over_abstract(string pattern) => OverAbstract.RunAsync(pattern);

    [Fact]
    public async Task Both_ends_of_an_ipc_pipe_ask_a_wider_send_buffer_than_the_default()
    {
        // A Unix stream socket keeps what its peer has not read in the sender's buffer; each end asks 2 MiB, which
        // Linux doubles and caps by net.core.wmem_max: always more than a socket that asked nothing gets.
        using var plain = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        int byDefault = plain.SendBufferSize;
        string url = "ipc://" + NewPath();
        await using var pull = new PullSocket();
        pull.Listen(url);
        await using var push = new PushSocket();
        await push.DialAsync(url);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await pull.WaitForPipesAsync(1, bound.Token);
        await push.WaitForPipesAsync(1, bound.Token);

        foreach (Socket end in new Socket[] { pull, push })
        {
            var pipe = Assert.IsType<SpNet.Transports.Framing.StreamPipe>(Assert.Single(end.SnapshotPipes()));
            Assert.True(pipe.SocketSendBufferBytes > byDefault, $"{end}: send buffer {pipe.SocketSendBufferBytes} B, default {byDefault} B");
        }
    }

    [Fact]
    public async Task Abstract_name_is_url_decoded_with_nul()
    {
        string name = $"spnet-nul-{Guid.NewGuid():N}";
        await using var pull = new PullSocket();
        pull.Listen($"abstract://{name}%00x");
        // A raw socket bound to the decoded name cannot bind again: the listener holds "\0name\0x".
        using var raw = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        var ex = Assert.Throws<SocketException>(() => raw.Bind(new UnixDomainSocketEndPoint("\0" + name + "\0x")));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
    }

    [Fact]
    public async Task Relative_path_is_relative_to_the_working_directory()
    {
        string name = $"spnet-rel-{Guid.NewGuid():N}.sock";
        string full = Path.Combine(Environment.CurrentDirectory, name);
        _paths.Add(full);
        await using var pull = new PullSocket();
        pull.Listen("ipc://" + name);
        Assert.True(File.Exists(full), $"no socket file at {full}");
        await pull.AssertPushReachesAsync("ipc://" + name, "relative");
    }

    [Fact]
    public async Task Socket_file_is_removed_when_the_listener_closes()
    {
        string path = NewPath();
        await using var pull = new PullSocket();
        Listener listener = pull.Listen("ipc://" + path);
        Assert.True(File.Exists(path));
        await listener.DisposeAsync();
        Assert.False(File.Exists(path), "the socket file outlived its listener");
    }

    [Fact]
    public async Task Stale_socket_file_from_a_dead_listener_is_replaced()
    {
        string path = NewPath();
        string bound = NewPath();
        using (var dead = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(bound));
            dead.Listen(1);
            File.Move(bound, path); // .NET unlinks the path it bound on dispose; the moved file stays, as after a crash
        }
        Assert.True(File.Exists(path));
        await using var pull = new PullSocket();
        pull.Listen("ipc://" + path);
        await pull.AssertPushReachesAsync("ipc://" + path, "after stale");
    }

    [Fact]
    public async Task Live_listener_makes_address_in_use_and_keeps_its_file()
    {
        string path = NewPath();
        await using var first = new PullSocket();
        await using var second = new PullSocket();
        first.Listen("ipc://" + path);
        var ex = Assert.Throws<SpNetException>(() => second.Listen("ipc://" + path));
        Assert.Equal(SpError.AddressInUse, ex.Error);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        await first.AssertPushReachesAsync("ipc://" + path, "still first");
    }

    [Fact]
    public async Task Live_abstract_name_is_address_in_use()
    {
        string url = Addresses.Abstract("busy");
        await using var first = new PullSocket();
        await using var second = new PullSocket();
        first.Listen(url);
        Assert.Equal(SpError.AddressInUse, Assert.Throws<SpNetException>(() => second.Listen(url)).Error);
    }

    [Fact]
    public async Task IpcPermissions_sets_the_socket_file_mode()
    {
        string path = NewPath();
        await using var pull = new PullSocket { IpcPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite };
        pull.Listen("ipc://" + path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Dialing_a_missing_path_is_connection_refused()
    {
        string path = NewPath();
        await SocketTestExtensions.AssertDialRefusedAsync("ipc://" + path, SpError.ConnectionRefused, path);
    }

    [Fact]
    public async Task Empty_path_is_an_invalid_address()
    {
        await using var pull = new PullSocket();
        Assert.Equal(SpError.AddressInvalid, Assert.Throws<SpNetException>(() => pull.Listen("ipc://")).Error);
    }

    [Fact]
    public async Task Wrong_message_type_byte_closes_the_pipe_is_counted_and_the_listener_keeps_serving()
    {
        string path = NewPath();
        await using var pull = new PullSocket();
        pull.Listen("ipc://" + path);
        using (RawSpPeer peer = await RawSpPeer.ConnectUnixAsync(path))
        {
            Assert.Equal(RawSpPeer.Header(0x51), await peer.HandshakeAsync(0x50));
            await pull.WaitForPipeCountAsync(1);
            byte[] frame = new byte[1 + 8 + 3];
            frame[0] = 0x02; // only 0x01 (a message) is defined
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(1), 3);
            "bad"u8.CopyTo(frame.AsSpan(9));
            await peer.SendAsync(frame);
            Assert.True(await peer.WaitForRemoteCloseAsync(), "the pipe stayed open after a wrong type byte");
        }
        await Eventually.True(() => pull.Statistics.ProtocolErrors == 1 && pull.Statistics.CurrentPipes == 0, $"protocol error counted ({pull.Statistics})");
        Assert.False(pull.TryReceive(out Message? leaked), $"a message got through: {leaked}");

        await pull.AssertPushReachesAsync("ipc://" + path, "good peer");
    }

    [Fact]
    public async Task Frames_carry_the_ipc_type_byte()
    {
        string path = NewPath();
        await using var push = new PushSocket();
        push.Listen("ipc://" + path);
        using RawSpPeer peer = await RawSpPeer.ConnectUnixAsync(path);
        Assert.Equal(RawSpPeer.Header(0x50), await peer.HandshakeAsync(0x51));
        await push.SendTextAsync("hi");
        Assert.Equal(new byte[] { 0x01, 0, 0, 0, 0, 0, 0, 0, 2, (byte)'h', (byte)'i' }, await peer.ReceiveExactlyAsync(11));
    }
}
