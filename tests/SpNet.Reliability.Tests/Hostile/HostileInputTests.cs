using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Hostile;

/// <summary>
/// Peers that lie about lengths, send garbage, or connect and say nothing: each is refused or closed within a
/// bound, nothing is allocated for a lie, and the listener keeps serving a good peer.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output, HostileInputTests.Certificates certs) : UnobservedWatch, IClassFixture<HostileInputTests.Certificates>
{
    private const ushort PushProtocol = 0x50;

    /// <summary>One CA for the class: RSA key generation is slow.</summary>
    public sealed class Certificates : IDisposable
    {
        public TestCertificates Value { get; } = TestCertificates.Create();

        public void Dispose() => Value.Dispose();
    }

    public static TheoryData<string, long> Schemes => new()
    {
        { "tcp", 1024 * 1024 }, { "ipc", 1024 * 1024 }, { "tls", 1024 * 1024 },
        { "tcp", 0 }, { "ipc", 0 }, { "tls", 0 },
    };

    private (PullSocket Pull, string Url, string? Path) Listen(string scheme, Certificates certs, long maxReceiveSize)
    {
        var pull = new PullSocket { MaxReceiveSize = maxReceiveSize };
        string? path = null;
        string address = scheme switch
        {
            "tcp" => Addresses.TcpLoopback,
            "ipc" => $"ipc://{path = Addresses.IpcPath("hostile")}",
            _ => "tls+tcp://localhost:0",
        };
        if (scheme == "tls")
        {
            pull.Tls = certs.Value.ServerOptions();
        }
        return (pull, pull.Listen(address).Url, path);
    }

    [Theory]
    [MemberData(nameof(Schemes))]
    public async Task Length_headers_up_to_2_pow_64_minus_1_are_refused_before_allocation(string scheme, long maxReceiveSize)
    {
        var (pull, url, path) = Listen(scheme, certs, maxReceiveSize);
        try
        {
            // With a limit, anything over it; with none (0), anything over what .NET can allocate in one array.
            ulong[] lengths = maxReceiveSize > 0
                ? [(ulong)maxReceiveSize + 1, 0x7FFFFFFF, 0xFFFFFFFF, 1UL << 40, long.MaxValue, 1UL << 63, ulong.MaxValue]
                : [(ulong)Array.MaxLength + 1, 0xFFFFFFFF, 1UL << 40, long.MaxValue, 1UL << 63, ulong.MaxValue];
            bool ipc = scheme == "ipc";
            long before = GC.GetTotalAllocatedBytes(precise: true);
            foreach (ulong length in lengths)
            {
                await using Stream stream = await RawStreams.ConnectAsync(scheme, url);
                await stream.WriteAsync(RawSpPeer.Header(PushProtocol));
                byte[] header = new byte[8];
                await stream.ReadExactlyAsync(header).AsTask().WaitAsync(Eventually.DefaultTimeout);
                byte[] prefix = new byte[9];
                int size = ipc ? 9 : 8;
                if (ipc)
                {
                    prefix[0] = 1;
                }
                BinaryPrimitives.WriteUInt64BigEndian(prefix.AsSpan(ipc ? 1 : 0), length);
                try
                {
                    await stream.WriteAsync(prefix.AsMemory(0, size));
                    await stream.WriteAsync(new byte[100]);
                }
                catch (IOException)
                {
                    // SpNet may refuse the prefix and close before these bytes are written: that is the outcome under test.
                }
                Assert.True(await RawStreams.WaitForCloseAsync(stream, Eventually.DefaultTimeout), $"{scheme}: a {length}-byte announcement kept the connection open");
            }
            await Eventually.True(() => pull.Statistics.OversizedMessages == lengths.Length, $"every lie counted ({pull.Statistics})");
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            output.WriteLine($"{scheme}, MaxReceiveSize {maxReceiveSize}: {lengths.Length} lies refused, {allocated / 1024:N0} KiB allocated in the process meanwhile");
            Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated while refusing");
            await AssertStillServesAsync(pull, url, certs);
        }
        finally
        {
            await pull.DisposeAsync();
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ws")]
    [InlineData("tls")]
    public async Task Three_hundred_connections_sending_garbage_at_once(string scheme)
    {
        await using var pull = new PullSocket { HandshakeTimeout = TimeSpan.FromSeconds(2) };
        if (scheme == "tls")
        {
            pull.Tls = certs.Value.ServerOptions();
        }
        string url = pull.Listen(scheme switch { "tcp" => Addresses.TcpLoopback, "ws" => "ws://127.0.0.1:0/sp", _ => "tls+tcp://localhost:0" }).Url;
        int port = Addresses.PortOf(url);
        var clock = Stopwatch.StartNew();
        const int count = 300;
        var random = new Random(Mode.FuzzSeed);
        byte[][] garbage = [.. Enumerable.Range(0, count).Select(i =>
        {
            byte[] g = new byte[16 + random.Next(2048)];
            random.NextBytes(g);
            return g;
        })];
        var peers = new RawSpPeer[count];
        // Connect all first, so the garbage arrives at once.
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i => peers[i] = await RawSpPeer.ConnectAsync($"tcp://127.0.0.1:{port}")));
        try
        {
            bool[] closed = await Task.WhenAll(peers.Select(async (p, i) =>
            {
                try
                {
                    await p.SendAsync(garbage[i]);
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
                {
                    return true;
                }
                return await p.WaitForRemoteCloseAsync(TimeSpan.FromSeconds(10));
            }));
            Assert.All(closed, Assert.True);
            output.WriteLine($"{scheme}: {count} garbage connections closed in {clock.ElapsedMilliseconds} ms; {pull.Statistics}");
            Assert.Equal(0, pull.Statistics.PipesOpened);
            await AssertStillServesAsync(pull, url, certs);
        }
        finally
        {
            foreach (RawSpPeer p in peers)
            {
                p?.Dispose();
            }
        }
    }

    [Fact]
    public void Handshake_timeout_defaults_to_10_s_like_nng()
    {
        using var pull = new PullSocket();
        Assert.Equal(TimeSpan.FromSeconds(10), pull.HandshakeTimeout);
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("ipc")]
    [InlineData("ws")]
    public async Task Connection_that_never_sends_its_header_is_closed_after_the_handshake_timeout(string scheme)
    {
        TimeSpan timeout = TimeSpan.FromMilliseconds(300);
        await using var pull = new PullSocket { HandshakeTimeout = timeout };
        string? path = scheme == "ipc" ? Addresses.IpcPath("silent") : null;
        string url = pull.Listen(scheme switch { "tcp" => Addresses.TcpLoopback, "ipc" => $"ipc://{path}", _ => "ws://127.0.0.1:0/sp" }).Url;
        try
        {
            await using Stream stream = await RawStreams.ConnectAsync(scheme == "ws" ? "tcp" : scheme, scheme == "ws" ? $"tcp://127.0.0.1:{Addresses.PortOf(url)}" : url);
            var clock = Stopwatch.StartNew();
            Assert.True(await RawStreams.WaitForCloseAsync(stream, TimeSpan.FromSeconds(5)), "the silent connection stayed open");
            TimeSpan took = clock.Elapsed;
            output.WriteLine($"{scheme}: silent connection closed after {took.TotalMilliseconds:0} ms (HandshakeTimeout {timeout.TotalMilliseconds:0} ms)");
            Assert.True(took >= timeout - TimeSpan.FromMilliseconds(50), $"closed too early: {took.TotalMilliseconds:0} ms");
            Assert.Equal(0, pull.Statistics.PipesOpened);
            await AssertStillServesAsync(pull, url, null);
        }
        finally
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    private static async Task AssertStillServesAsync(PullSocket pull, string url, Certificates? certs)
    {
        await using var good = new PushSocket();
        if (url.StartsWith("tls", StringComparison.Ordinal))
        {
            good.Tls = certs!.Value.ClientOptions();
        }
        await Eventually.Within(good.DialAsync(url).AsTask(), "good dial");
        await good.SendAsync("still serving"u8.ToArray());
        using Message m = await Eventually.Within(pull.ReceiveAsync().AsTask(), "good message");
        Assert.Equal("still serving", m.ToString());
    }
}
