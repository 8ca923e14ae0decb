using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests.Services;

public sealed class TunnelTests
{
    [Fact]
    public async Task A_tunnel_carries_messages_in_order_both_ways_and_closes_cleanly_from_either_side()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("echo", o => o.TunnelWindow = 8);
        host.OnTunnel(async (tunnel, ct) =>
        {
            while (await tunnel.ReceiveAsync(ct) is { } message)
            {
                await tunnel.SendAsync(message, ct);
            }
        });
        ServiceClient client = cluster.Client(o => o.TunnelWindow = 8);
        await ServiceCluster.WaitForMembersAsync(client, "echo", 1);

        await using (Tunnel tunnel = await client.OpenTunnelAsync("echo").WaitAsync(Timing.Hang))
        {
            // Far more messages than either window: the sides must keep granting credit.
            Task sending = Task.Run(async () =>
            {
                for (int i = 0; i < 500; i++)
                {
                    await tunnel.SendAsync(Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                }
                await tunnel.CompleteAsync();
            });
            for (int i = 0; i < 500; i++)
            {
                byte[]? echoed = await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang);
                Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), Encoding.UTF8.GetString(echoed!));
            }
            await sending.WaitAsync(Timing.Hang);
            // The host's handler ends when our side completes; its side completes in turn.
            Assert.Null(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
        }

        // The host closes first this time: the client reads what it sent, then the end.
        ServiceHost teller = await cluster.HostAsync("teller");
        teller.OnTunnel(async (tunnel, ct) => await tunnel.SendAsync("bye"u8.ToArray(), ct));
        await ServiceCluster.WaitForMembersAsync(client, "teller", 1);
        await using Tunnel told = await client.OpenTunnelAsync("teller").WaitAsync(Timing.Hang);
        Assert.Equal("bye", Encoding.UTF8.GetString((await told.ReceiveAsync().AsTask().WaitAsync(Timing.Hang))!));
        Assert.Null(await told.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
        Assert.Equal(2, host.Statistics.Tunnels + teller.Statistics.Tunnels);
    }

    [Fact]
    public async Task A_sender_whose_peer_stops_reading_waits_for_credit_and_times_out_cleanly()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("sink", o => o.TunnelWindow = 4);
        var stopReading = new TaskCompletionSource();
        host.OnTunnel(async (tunnel, ct) => await stopReading.Task.WaitAsync(ct));
        ServiceClient client = cluster.Client(o => o.TunnelSendTimeout = TimeSpan.FromMilliseconds(300));
        await ServiceCluster.WaitForMembersAsync(client, "sink", 1);

        await using Tunnel tunnel = await client.OpenTunnelAsync("sink").WaitAsync(Timing.Hang);
        for (int i = 0; i < 4; i++)
        {
            await tunnel.SendAsync(new byte[] { (byte)i }).AsTask().WaitAsync(Timing.Hang); // the window the host granted
        }
        var error = await Assert.ThrowsAsync<SpNetException>(() => tunnel.SendAsync(new byte[] { 4 }).AsTask().WaitAsync(Timing.Hang));
        Assert.Equal(SpError.TimedOut, error.Error);
        Assert.Contains("not reading", error.Message, StringComparison.Ordinal);

        // A token cancels the wait as well, and the tunnel stays usable.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        tunnel.SendTimeout = TimeSpan.FromSeconds(30);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tunnel.SendAsync(new byte[] { 5 }, cancel.Token).AsTask().WaitAsync(Timing.Hang));
        stopReading.SetResult();
    }

    [Fact]
    public async Task A_member_killed_mid_tunnel_fails_the_tunnel_at_once()
    {
        // A real kill: the member is an spcat process, so its connections go without a Close frame, as when a host dies.
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using PeerProcess member = PeerProcess.Start(Peers.Require(Peers.SpCat),
            "service", "host", "--service", "fragile", "--survey", cluster.Registry.SurveyUrl, "--publish", cluster.Registry.PublishUrl, "--echo");
        ServiceClient client = cluster.Client();
        await member.GuardAsync(ServiceCluster.WaitForMembersAsync(client, "fragile", 1), Timing.Hang, what: "the member is listed");
        await using Tunnel tunnel = await client.OpenTunnelAsync("fragile").WaitAsync(Timing.Hang);
        await tunnel.SendAsync("ping"u8.ToArray()).AsTask().WaitAsync(Timing.Hang);
        Assert.Equal("ping"u8.ToArray(), await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang)); // the handler is running

        Task<byte[]?> receiving = tunnel.ReceiveAsync().AsTask();
        member.Kill();
        var error = await Assert.ThrowsAsync<SpNetException>(() => receiving.WaitAsync(Timing.Hang));
        Assert.Equal(SpError.ConnectionReset, error.Error);
        Assert.Contains("fragile", error.Message, StringComparison.Ordinal);
        var send = await Assert.ThrowsAsync<SpNetException>(() => tunnel.SendAsync("late"u8.ToArray()).AsTask().WaitAsync(Timing.Hang));
        Assert.Equal(SpError.ConnectionReset, send.Error);
    }

    [Fact]
    public async Task A_host_disposed_mid_tunnel_ends_the_stream_instead_of_failing_it()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        await using ServiceHost host = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "leaving", Registries = [cluster.Endpoint] });
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OnTunnel(async (tunnel, ct) =>
        {
            await tunnel.SendAsync("last words"u8.ToArray(), ct);
            opened.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        ServiceClient client = cluster.Client();
        await ServiceCluster.WaitForMembersAsync(client, "leaving", 1);
        await using Tunnel tunnel = await client.OpenTunnelAsync("leaving").WaitAsync(Timing.Hang);
        await opened.Task.WaitAsync(Timing.Hang);

        Task<byte[]?> first = tunnel.ReceiveAsync().AsTask();
        await host.DisposeAsync().AsTask().WaitAsync(Timing.Hang);
        Assert.Equal("last words"u8.ToArray(), await first.WaitAsync(Timing.Hang));
        Assert.Null(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task The_smallest_and_largest_windows_carry_messages_in_order_both_ways(int window)
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("echo", o => o.TunnelWindow = window);
        host.OnTunnel(async (tunnel, ct) =>
        {
            while (await tunnel.ReceiveAsync(ct) is { } message)
            {
                await tunnel.SendAsync(message, ct);
            }
        });
        ServiceClient client = cluster.Client(o => o.TunnelWindow = window);
        await ServiceCluster.WaitForMembersAsync(client, "echo", 1);

        // Three windows' worth (at least 300): with window 1 every message waits for its own grant.
        int messages = Math.Max(300, 3 * window);
        await using Tunnel tunnel = await client.OpenTunnelAsync("echo").WaitAsync(Timing.Hang);
        Assert.Equal(window, tunnel.Window);
        Task sending = Task.Run(async () =>
        {
            for (int i = 0; i < messages; i++)
            {
                await tunnel.SendAsync(Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
            }
            await tunnel.CompleteAsync();
        });
        for (int i = 0; i < messages; i++)
        {
            byte[]? echoed = await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang);
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), Encoding.UTF8.GetString(echoed!));
        }
        await sending.WaitAsync(Timing.Hang);
        Assert.Null(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
    }

    [Fact]
    public async Task A_sender_exactly_at_the_window_sends_without_waiting_and_only_the_next_message_waits()
    {
        const int Window = 4096; // the largest
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("sink", o => o.TunnelWindow = Window);
        var startReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OnTunnel(async (tunnel, ct) =>
        {
            await startReading.Task.WaitAsync(ct);
            int count = 0;
            while (await tunnel.ReceiveAsync(ct) is not null)
            {
                count++;
            }
            await tunnel.SendAsync(BitConverter.GetBytes(count), ct);
        });
        // A short send timeout: any of the first 4,096 sends that had to wait for credit would fail, since the host
        // grants none before it reads.
        ServiceClient client = cluster.Client(o => o.TunnelSendTimeout = TimeSpan.FromMilliseconds(300));
        await ServiceCluster.WaitForMembersAsync(client, "sink", 1);
        await using Tunnel tunnel = await client.OpenTunnelAsync("sink").WaitAsync(Timing.Hang);

        for (int i = 0; i < Window; i++)
        {
            await tunnel.SendAsync(new byte[] { (byte)i }).AsTask().WaitAsync(Timing.Hang);
        }
        var error = await Assert.ThrowsAsync<SpNetException>(() => tunnel.SendAsync(new byte[] { 0 }).AsTask().WaitAsync(Timing.Hang));
        Assert.Equal(SpError.TimedOut, error.Error);

        // Exactly a full window held is within the rules (no protocol error); once the host reads, credit comes back.
        startReading.SetResult();
        tunnel.SendTimeout = Timing.Hang;
        await tunnel.SendAsync(new byte[] { 1 }).AsTask().WaitAsync(Timing.Hang);
        await tunnel.CompleteAsync();
        Assert.Equal(Window + 1, BitConverter.ToInt32(await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public async Task A_window_outside_1_to_4096_is_refused(int window)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ServiceClient.Start(new ServiceClientOptions { Registries = [new RegistryEndpoint("tcp://127.0.0.1:1", "tcp://127.0.0.1:2")], TunnelWindow = window }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ServiceHost.StartAsync(new ServiceHostOptions { Service = "x", Registries = [new RegistryEndpoint("tcp://127.0.0.1:1", "tcp://127.0.0.1:2")], TunnelWindow = window }));
    }

    [Fact]
    public async Task A_client_sending_beyond_the_window_fails_the_host_end_with_a_protocol_error()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        ServiceHost host = await cluster.HostAsync("strict", o => o.TunnelWindow = 4);
        var outcome = new TaskCompletionSource<(SpNetException Failure, List<string> Read, SpNetException? ReadError)>(TaskCreationOptions.RunContinuationsAsynchronously);
        host.OnTunnel(async (tunnel, ct) =>
        {
            // No reading (which would grant credit) until the tunnel has failed.
            SpNetException failure = await FailureOfAsync(tunnel, ct);
            var read = new List<string>();
            SpNetException? readError = null;
            try
            {
                while (await tunnel.ReceiveAsync(ct) is { } message)
                {
                    read.Add(Encoding.UTF8.GetString(message));
                }
            }
            catch (SpNetException ex)
            {
                readError = ex;
            }
            outcome.TrySetResult((failure, read, readError));
        });

        // A client that ignores the window: Open, then five data frames on a credit of four.
        await using var rogue = new Pair1Socket();
        await rogue.DialAsync(host.TunnelUrl).AsTask().WaitAsync(Timing.Hang);
        await rogue.SendAsync(Grant(0, 1000));
        using (Message grant = await rogue.ReceiveAsync().AsTask().WaitAsync(Timing.Hang))
        {
            Assert.Equal(Grant(2, 4), grant.ToArray());
        }
        for (int i = 0; i < 5; i++)
        {
            await rogue.SendAsync(Data($"{i}"));
        }

        var (failure, read, readError) = await outcome.Task.WaitAsync(Timing.Hang);
        Assert.Equal(SpError.Protocol, failure.Error);
        Assert.Contains("beyond the 4-message window", failure.Message, StringComparison.Ordinal);
        // What was within the window is still read, in order; then the failure.
        Assert.Equal(["0", "1", "2", "3"], read);
        Assert.Equal(SpError.Protocol, readError?.Error);
    }

    [Fact]
    public async Task A_member_sending_beyond_the_window_fails_the_client_end_with_a_protocol_error()
    {
        await using ServiceCluster cluster = await ServiceCluster.StartAsync();
        // A member that ignores the window: its tunnel end is a plain PAIR1 listener, registered by hand.
        await using var rogue = new Pair1Socket();
        string url = rogue.Listen("tcp://127.0.0.1:0").Url;
        var meta = new Dictionary<string, string> { [ServiceMeta.Tunnel] = url, [ServiceMeta.Status] = "1" };
        await using var registration = ServiceRegistration.Start(cluster.Registry.SurveyUrl, new ServiceMember("rogue", "tcp://127.0.0.1:9", meta));
        ServiceClient client = cluster.Client(o => o.TunnelWindow = 4);
        await ServiceCluster.WaitForMembersAsync(client, "rogue", 1);

        Task<Tunnel> opening = client.OpenTunnelAsync("rogue");
        using (Message open = await rogue.ReceiveAsync().AsTask().WaitAsync(Timing.Hang))
        {
            Assert.Equal(Grant(0, 4), open.ToArray());
        }
        await rogue.SendAsync(Grant(2, 1000));
        await using Tunnel tunnel = await opening.WaitAsync(Timing.Hang);
        for (int i = 0; i < 5; i++)
        {
            await rogue.SendAsync(Data($"{i}"));
        }

        SpNetException failure = await FailureOfAsync(tunnel, CancellationToken.None).WaitAsync(Timing.Hang);
        Assert.Equal(SpError.Protocol, failure.Error);
        Assert.Contains("beyond the 4-message window", failure.Message, StringComparison.Ordinal);
        Assert.Contains("rogue", failure.Message, StringComparison.Ordinal);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal($"{i}", Encoding.UTF8.GetString((await tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang))!));
        }
        var readError = await Assert.ThrowsAsync<SpNetException>(() => tunnel.ReceiveAsync().AsTask().WaitAsync(Timing.Hang));
        Assert.Equal(SpError.Protocol, readError.Error);
    }

    /// <summary>
    /// Waits for <paramref name="tunnel"/> to fail without reading from it (a read grants credit): a send on a failed
    /// tunnel throws its failure at once, so empty messages are sent until one does.
    /// </summary>
    private static async Task<SpNetException> FailureOfAsync(Tunnel tunnel, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await tunnel.SendAsync(ReadOnlyMemory<byte>.Empty, cancellationToken);
            }
            catch (SpNetException ex)
            {
                return ex;
            }
            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>An Open (kind 0) or Credit (kind 2) frame: the kind, then the count as a big-endian int32.</summary>
    private static byte[] Grant(byte kind, int count)
    {
        var frame = new byte[5];
        frame[0] = kind;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(1), count);
        return frame;
    }

    /// <summary>A Data frame (kind 1) carrying <paramref name="text"/>.</summary>
    private static byte[] Data(string text) => [1, .. Encoding.UTF8.GetBytes(text)];
}
