using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>
/// The ws listener fed mutated upgrade requests and, after a good upgrade, mutated frame sequences, over real
/// loopback connections. Outcome per connection: an HTTP status or 101, then either messages delivered or the
/// connection closed by the listener — within a bound — and the listener still serves a good peer at the end.
/// </summary>
public sealed class WsFuzzTests(ITestOutputHelper output) : UnobservedWatch
{
    private static readonly TimeSpan s_perConnection = TimeSpan.FromSeconds(5);
    private const int Parallel = 8;

    private static int NetworkInputs => Mode.Int("SPNET_FUZZ_NET_INPUTS", Mode.IsLong ? 1_000_000 : 50_000);

    [Fact]
    public async Task Ws_upgrade_requests_through_the_listener()
    {
        await using var pull = new PullSocket { HandshakeTimeout = TimeSpan.FromSeconds(1) };
        string url = pull.Listen("ws://127.0.0.1:0/sp").Url;
        int port = Addresses.PortOf(url);
        byte[][] corpus =
        [
            Encoding.ASCII.GetBytes(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", "pull.sp.nanomsg.org")),
            Encoding.ASCII.GetBytes(RawWsClient.UpgradeRequest("/sp", "localhost", "pull.sp.nanomsg.org, pair.sp.nanomsg.org")),
            Encoding.ASCII.GetBytes(RawWsClient.UpgradeRequest("/other", $"127.0.0.1:{port}", null)),
        ];
        int seed = Mode.FuzzSeed;
        int count = NetworkInputs / 2;
        var statuses = new Dictionary<int, int>();
        var clock = Stopwatch.StartNew();
        await ForEachAsync(count, async i =>
        {
            byte[] input = Fuzzer.Next(Fuzzer.For(seed, i), corpus, 512);
            int status = await OneUpgradeAsync(port, input).ConfigureAwait(false)
                ?? throw new FuzzFailureException("ws upgrade", seed, i, input, new TimeoutException("no answer and no close within the bound"));
            lock (statuses)
            {
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
            }
        });
        output.WriteLine($"ws upgrade: {count:N0} requests (half of SPNET_FUZZ_NET_INPUTS), seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s; statuses {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))} (0 = closed without a status)");
        await AssertStillServesAsync(pull, url);
    }

    [Fact]
    public async Task Ws_frames_through_the_listener()
    {
        await using var pull = new PullSocket { MaxReceiveSize = 64 * 1024 };
        string url = pull.Listen("ws://127.0.0.1:0/sp").Url;
        int port = Addresses.PortOf(url);
        byte[][] corpus =
        [
            RawWsClient.Frame(2, true, "hello"u8),
            RawWsClient.Frame(2, false, "frag"u8),
            RawWsClient.Frame(0, true, "ment"u8),
            RawWsClient.Frame(9, true, "ping"u8),
            RawWsClient.Frame(1, true, "text"u8),
            RawWsClient.Frame(2, true, new byte[300]),
            RawWsClient.Frame(2, true, new byte[70_000]),
            RawWsClient.Frame(8, true, [0x03, 0xE8]),
        ];
        int seed = Mode.FuzzSeed;
        const int framesPerConnection = 20;
        int connections = NetworkInputs / framesPerConnection;
        long drained = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        Task drain = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using Message m = await pull.ReceiveAsync(stop.Token);
                    Assert.True(m.Length <= 64 * 1024);
                    Interlocked.Increment(ref drained);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (SpNetException)
            {
                // The socket closed under us because the test already failed.
            }
        });
        await ForEachAsync(connections, async i =>
        {
            Random random = Fuzzer.For(seed, i);
            var frames = new List<byte>();
            for (int f = 0; f < framesPerConnection; f++)
            {
                frames.AddRange(random.Next(4) == 0 ? corpus[random.Next(corpus.Length)] : Fuzzer.Next(random, corpus, 64));
            }
            byte[] input = [.. frames];
            if (!await OneFrameSequenceAsync(port, input).ConfigureAwait(false))
            {
                throw new FuzzFailureException("ws frames", seed, i, input, new TimeoutException("the listener neither closed nor finished with the connection within the bound"));
            }
        });
        await stop.CancelAsync();
        await Eventually.Within(drain, "drain");
        output.WriteLine($"ws frames: {connections * framesPerConnection:N0} frames over {connections:N0} connections, seed {seed}, {clock.Elapsed.TotalSeconds:0.0} s, {drained:N0} messages delivered, protocol errors {pull.Statistics.ProtocolErrors:N0}, oversized {pull.Statistics.OversizedMessages:N0}");
        await AssertStillServesAsync(pull, url);
    }

    /// <summary>Sends one request; returns the status (0 if closed without one), or null if neither came within the bound.</summary>
    private static async Task<int?> OneUpgradeAsync(int port, byte[] request)
    {
        using RawWsClient client = await RawWsClient.ConnectAsync(port);
        try
        {
            await client.Peer.SendAsync(request);
            client.Peer.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            return 0; // refused while we were still writing
        }
        catch (IOException)
        {
            return 0;
        }
        try
        {
            return await client.ReadStatusAsync(s_perConnection);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (Exception ex) when (ex is EndOfStreamException or SocketException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>Upgrades properly, sends the frames, half-closes; true once the listener has closed the connection.</summary>
    private static async Task<bool> OneFrameSequenceAsync(int port, byte[] frames)
    {
        using RawWsClient client = await RawWsClient.ConnectAsync(port);
        await client.SendTextAsync(RawWsClient.UpgradeRequest("/sp", $"127.0.0.1:{port}", "pull.sp.nanomsg.org"));
        Assert.Equal(101, await client.ReadStatusAsync(s_perConnection));
        try
        {
            await client.Peer.SendAsync(frames);
            client.Peer.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return true; // closed on us mid-write: refused
        }
        return await client.Peer.WaitForRemoteCloseAsync(s_perConnection);
    }

    private static async Task ForEachAsync(int count, Func<int, Task> body)
    {
        int next = -1;
        var workers = new Task[Parallel];
        for (int w = 0; w < Parallel; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await body(i);
                }
            });
        }
        await Task.WhenAll(workers);
    }

    private static async Task AssertStillServesAsync(PullSocket pull, string url)
    {
        await using var good = new PushSocket();
        await Eventually.Within(good.DialAsync(url).AsTask(), "good dial");
        await good.SendAsync("still serving"u8.ToArray());
        using Message m = await Eventually.Within(pull.ReceiveAsync().AsTask(), "good message");
        Assert.Equal("still serving", m.ToString());
    }
}
