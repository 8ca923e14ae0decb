using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

/// <summary>
/// The tunnel window's auto-tuning: it doubles up to the maximum while the sender runs out of credit and the reader
/// has read everything, never while the reader lags or has stopped, and a grown window still bounds what is unread.
/// The wire-level cases drive the client end by hand (a plain PAIR1 socket), so every step is in the test's hands.
/// </summary>
public sealed class TunnelReceiveWindowTests
{
    /// <summary>A bound for loops that wait for the window to grow: far above what they take, for a loaded machine.</summary>
    private static readonly TimeSpan s_growBound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_window_doubles_up_to_the_maximum_while_the_sender_runs_out_of_credit_and_the_reader_keeps_up()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using var peer = await HandDrivenPeer.OpenAsync(cluster, window: 4, maxWindow: 16, gatedReads: false);
        Tunnel tunnel = peer.HostTunnel;
        Assert.Equal(4, tunnel.Window);
        Assert.Equal(16, tunnel.MaxWindow);

        foreach (int grown in new[] { 8, 16 })
        {
            int before = tunnel.Window;
            // All the credit there is, then the report that it ran out; the host reads everything as it comes.
            long limit = await peer.SendAllCreditAsync();
            await peer.SendBlockedAsync(limit);
            // With everything read, at least half a window is granted back; more than the old window only if it grew.
            await peer.WaitForCreditAsync(limit + before + 1);
            Assert.Equal(grown, tunnel.Window);
        }

        // At the maximum: the sender uses all of its credit (16 unacknowledged, beyond any earlier window, so the
        // protocol check counts the credit actually granted) and runs out again; the window stays.
        long last = await peer.SendAllCreditAsync();
        Assert.True(last - peer.SentBeforeLastRound > 8, $"{last - peer.SentBeforeLastRound} messages sent on the grown window");
        await peer.SendBlockedAsync(last);
        await peer.SendCloseAsync();
        (long read, int window) = await peer.Finished.WaitAsync(Timing.Hang);
        Assert.Equal(last, read);
        Assert.Equal(16, window);
    }

    [Fact]
    public async Task The_window_does_not_grow_while_the_reader_lags_behind_the_sender()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using var peer = await HandDrivenPeer.OpenAsync(cluster, window: 4, maxWindow: 16, gatedReads: true);
        Tunnel tunnel = peer.HostTunnel;

        // The sender runs out at every step, but the reader always has two messages left when it reads: it is the
        // reader that limits the flow, and a larger window would only hold more unread.
        long sent = await peer.SendAllCreditAsync();
        await peer.SendBlockedAsync(sent);
        for (int round = 0; round < 6; round++)
        {
            await Eventually.True(() => tunnel.Unread == 4, "the host holds the four messages sent", Timing.Hang);
            peer.AllowReads(2);
            await peer.WaitForCreditAsync(sent + 2);
            sent = await peer.SendAllCreditAsync();
            await peer.SendBlockedAsync(sent);
        }
        await Eventually.True(() => tunnel.Unread == 4, "the host holds the last four messages", Timing.Hang);
        Assert.Equal(4, tunnel.Window);

        peer.AllowReads(int.MaxValue / 2);
        await peer.SendCloseAsync();
        (long read, _) = await peer.Finished.WaitAsync(Timing.Hang);
        Assert.Equal(sent, read);
    }

    [Fact]
    public async Task A_maximum_equal_to_the_window_turns_growth_off()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using var peer = await HandDrivenPeer.OpenAsync(cluster, window: 4, maxWindow: 4, gatedReads: false);
        Assert.Equal(4, peer.HostTunnel.MaxWindow);
        for (int round = 0; round < 3; round++)
        {
            long limit = await peer.SendAllCreditAsync();
            await peer.SendBlockedAsync(limit);
            await peer.WaitForCreditAsync(limit + 4 / 2 + 1);
        }
        await peer.SendCloseAsync();
        (long read, int window) = await peer.Finished.WaitAsync(Timing.Hang);
        Assert.Equal(peer.Sent, read);
        Assert.Equal(4, window);
    }

    [Fact]
    public async Task A_window_grown_under_a_fast_reader_still_bounds_a_reader_that_stops()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("sink", o => { o.TunnelWindow = 8; o.TunnelMaxWindow = 64; });
        var accepted = new TaskCompletionSource<Tunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stoppedAt = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopReading = new CancellationTokenSource();
        host.OnTunnel(async (tunnel, ct) =>
        {
            accepted.TrySetResult(tunnel);
            long read = 0;
            try
            {
                using var reading = CancellationTokenSource.CreateLinkedTokenSource(ct, stopReading.Token);
                while (await tunnel.ReceiveAsync(reading.Token) is not null)
                {
                    read++;
                }
            }
            catch (OperationCanceledException) when (stopReading.IsCancellationRequested)
            {
                // Told to stop: a canceled receive takes no message.
            }
            stoppedAt.TrySetResult(read);
            await resume.Task.WaitAsync(ct);
            while (await tunnel.ReceiveAsync(ct) is not null)
            {
                read++;
            }
            await tunnel.SendAsync(BitConverter.GetBytes(read), ct);
        });
        ServiceClient client = cluster.Client();
        await ServiceCluster.WaitForMembersAsync(client, "sink", 1);
        await using Tunnel tunnel = await client.OpenTunnelAsync("sink").WaitAsync(Timing.Hang);
        tunnel.SendTimeout = s_growBound;
        Tunnel hostTunnel = await accepted.Task.WaitAsync(Timing.Hang);

        // A fast reader: the sender outruns window 8's credit round trip, so the host's window grows to the maximum.
        byte[] body = new byte[64];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (hostTunnel.Window < 64)
        {
            Assert.True(clock.Elapsed < s_growBound, $"the window grew only to {hostTunnel.Window} after {sent} messages");
            await tunnel.SendAsync(body).AsTask().WaitAsync(Timing.Hang);
            sent++;
        }

        // The reader stops: the sender gets no further than the grown window, then waits and times out.
        await stopReading.CancelAsync();
        long read = await stoppedAt.Task.WaitAsync(Timing.Hang);
        tunnel.SendTimeout = TimeSpan.FromMilliseconds(500);
        SpNetException? timedOut = null;
        while (timedOut is null)
        {
            Assert.True(sent - read <= 64, $"{sent - read} messages unread, more than the window of 64");
            try
            {
                await tunnel.SendAsync(body).AsTask().WaitAsync(Timing.Hang);
                sent++;
            }
            catch (SpNetException ex)
            {
                timedOut = ex;
            }
        }
        Assert.Equal(SpError.TimedOut, timedOut.Error);
        await Eventually.True(() => hostTunnel.Unread == sent - read, "every message sent reached the host", Timing.Hang);
        Assert.True(hostTunnel.Unread <= hostTunnel.Window, $"{hostTunnel.Unread} unread on a window of {hostTunnel.Window}");
        Assert.Equal(64, hostTunnel.Window);

        // Nothing was beyond the credit granted: the reader resumes and gets every message.
        resume.SetResult();
        tunnel.SendTimeout = Timing.Hang;
        await tunnel.CompleteAsync();
        Assert.Equal(sent, BitConverter.ToInt64(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang)));
    }

    [Fact]
    public async Task The_client_end_grows_its_window_when_the_member_sends_faster_than_credit_returns()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("source");
        host.OnTunnel(async (tunnel, ct) =>
        {
            byte[] body = new byte[64];
            while (!tunnel.IsPeerCompleted)
            {
                await tunnel.SendAsync(body, ct);
            }
        });
        ServiceClient client = cluster.Client(o => { o.TunnelWindow = 8; o.TunnelMaxWindow = 32; });
        await ServiceCluster.WaitForMembersAsync(client, "source", 1);
        await using Tunnel tunnel = await client.OpenTunnelAsync("source").WaitAsync(Timing.Hang);
        Assert.Equal(8, tunnel.Window);

        var clock = Stopwatch.StartNew();
        while (tunnel.Window < 32)
        {
            Assert.True(clock.Elapsed < s_growBound, $"the window grew only to {tunnel.Window}");
            Assert.NotNull(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
            Assert.InRange(tunnel.Unread, 0, tunnel.Window);
        }
        Assert.Equal(32, tunnel.MaxWindow);

        // The member stops once we complete; we read what it had sent, then the end.
        await tunnel.CompleteAsync();
        while (await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang) is not null)
        {
            Assert.InRange(tunnel.Unread, 0, 32);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public async Task A_maximum_window_outside_1_to_4096_is_refused(int maxWindow)
    {
        var registry = new RegistryEndpoint("tcp://127.0.0.1:1", "tcp://127.0.0.1:2");
        var client = Assert.Throws<ArgumentOutOfRangeException>(() => ServiceClient.Start(new ServiceClientOptions { Registries = [registry], TunnelMaxWindow = maxWindow }));
        Assert.Equal(nameof(ServiceClientOptions.TunnelMaxWindow), client.ParamName);
        var host = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServiceHost.StartAsync(new ServiceHostOptions { Service = "x", Registries = [registry], TunnelMaxWindow = maxWindow }));
        Assert.Equal(nameof(ServiceHostOptions.TunnelMaxWindow), host.ParamName);
    }

    /// <summary>
    /// The client end of a tunnel driven by hand over a plain PAIR1 socket, against a host whose handler reads every
    /// message (or as many as <see cref="AllowReads"/> allows) and, once the stream ends, reports how many it read and
    /// its window. Counts the credit the host granted.
    /// </summary>
    private sealed class HandDrivenPeer : IAsyncDisposable
    {
        private readonly Pair1Socket _socket;
        private readonly SemaphoreSlim _reads = new(0, int.MaxValue);

        private HandDrivenPeer(Pair1Socket socket) => _socket = socket;

        public Tunnel HostTunnel { get; private set; } = null!;

        public Task<(long Read, int Window)> Finished { get; private set; } = null!;

        /// <summary>Credit granted so far (the messages this side may have sent in all).</summary>
        public long Credit { get; private set; }

        public long Sent { get; private set; }

        /// <summary>What had been sent before the last <see cref="SendAllCreditAsync"/>.</summary>
        public long SentBeforeLastRound { get; private set; }

        public static async Task<HandDrivenPeer> OpenAsync(ServiceCluster cluster, int window, int maxWindow, bool gatedReads)
        {
            ServiceHost host = await cluster.HostAsync("window", o => { o.TunnelWindow = window; o.TunnelMaxWindow = maxWindow; });
            var accepted = new TaskCompletionSource<Tunnel>(TaskCreationOptions.RunContinuationsAsynchronously);
            var finished = new TaskCompletionSource<(long, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
            var peer = new HandDrivenPeer(new Pair1Socket());
            host.OnTunnel(async (tunnel, ct) =>
            {
                accepted.TrySetResult(tunnel);
                long read = 0;
                while (true)
                {
                    if (gatedReads)
                    {
                        await peer._reads.WaitAsync(ct);
                    }
                    if (await tunnel.ReceiveAsync(ct) is null)
                    {
                        break;
                    }
                    read++;
                }
                finished.TrySetResult((read, tunnel.Window));
            });
            await peer._socket.DialAsync(host.TunnelUrl).AsTask().WaitAsync(Timing.Hang);
            await peer._socket.SendAsync(Frame(0, 5, 1000)); // Open: we grant plenty; the host sends nothing anyway
            await peer.WaitForCreditAsync(window);
            peer.HostTunnel = await accepted.Task.WaitAsync(Timing.Hang);
            peer.Finished = finished.Task;
            return peer;
        }

        public void AllowReads(int count) => _reads.Release(count);

        /// <summary>Sends as many data frames as there is credit; returns the total sent, which is then the credit total.</summary>
        public async Task<long> SendAllCreditAsync()
        {
            SentBeforeLastRound = Sent;
            while (Sent < Credit)
            {
                await _socket.SendAsync(new byte[] { 1, (byte)Sent });
                Sent++;
            }
            return Sent;
        }

        /// <summary>The Blocked frame (kind 4): out of credit at <paramref name="limit"/>, a big-endian int64.</summary>
        public async Task SendBlockedAsync(long limit) => await _socket.SendAsync(Frame(4, 9, limit));

        public async Task SendCloseAsync() => await _socket.SendAsync(new byte[] { 3 });

        /// <summary>Reads the host's credit frames until at least <paramref name="total"/> messages of credit were granted in all.</summary>
        public async Task WaitForCreditAsync(long total)
        {
            while (Credit < total)
            {
                using Message frame = await Eventually.Within(_socket.ReceiveAsync(), $"credit up to {total} (granted {Credit})", Timing.Hang);
                Assert.Equal(5, frame.Body.Length);
                Assert.Equal(2, frame.Body[0]);
                Credit += BinaryPrimitives.ReadInt32BigEndian(frame.Body[1..]);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _socket.DisposeAsync();
            _reads.Dispose();
        }

        /// <summary>A frame of <paramref name="length"/> bytes: the kind, then <paramref name="value"/> big-endian (int32 in 5 bytes, int64 in 9).</summary>
        private static byte[] Frame(byte kind, int length, long value)
        {
            var frame = new byte[length];
            frame[0] = kind;
            if (length == 5)
            {
                BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), (int)value);
            }
            else
            {
                BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(1), value);
            }
            return frame;
        }
    }
}
