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
}
