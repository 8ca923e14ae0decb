using SpNet.TestKit;

namespace SpNet.Tests.Api;

/// <summary>Device.RunAsync(a, null): one raw socket sending back out what it receives (nng_device with one socket).</summary>
public class DeviceReflectorTests
{
    [Fact]
    public async Task A_raw_bus_reflector_passes_each_message_to_every_other_member_and_never_back_to_its_sender()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var hub = BusSocket.CreateRaw();
        string url = hub.ListenTcp();
        Task reflector = Device.RunAsync(hub, null, cts.Token);
        var members = new List<BusSocket>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var member = new BusSocket();
                members.Add(member);
                member.Dial(url);
            }
            await hub.WaitForPipeCountAsync(4);

            // Rounds in turn: every other member's next message must be this one. An echo to the sender would be
            // its next message instead, and the following round (or the closing message) would find it.
            for (int round = 0; round < 3; round++)
            {
                for (int sender = 0; sender < members.Count; sender++)
                {
                    string text = $"r{round}-from{sender}";
                    await members[sender].SendTextAsync(text);
                    for (int other = 0; other < members.Count; other++)
                    {
                        if (other != sender)
                        {
                            Assert.Equal(text, await members[other].ReceiveTextAsync());
                        }
                    }
                }
            }
            await members[0].SendTextAsync("end");
            for (int other = 1; other < members.Count; other++)
            {
                Assert.Equal("end", await members[other].ReceiveTextAsync());
            }
            await members[1].SendTextAsync("end-for-0");
            foreach (int other in new[] { 0, 2, 3 })
            {
                Assert.Equal("end-for-0", await members[other].ReceiveTextAsync());
            }

            // 14 messages, each to the 3 members that did not send it: 42 writes by the hub, 42 reads by the members.
            // The hub writes each message to all its pipes in one go, so an echo would be among its 42 writes.
            const long Delivered = 14 * 3;
            await Eventually.True(() => hub.Statistics.MessagesSent >= Delivered, "the hub wrote every copy");
            Assert.Equal(Delivered, hub.Statistics.MessagesSent);
            Assert.Equal(Delivered, members.Sum(m => m.Statistics.MessagesReceived));
            Assert.Equal(0, hub.Statistics.MessagesDropped);
        }
        finally
        {
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reflector);
            foreach (BusSocket member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_raw_pair1_reflector_echoes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var mirror = Pair1Socket.CreateRaw();
        await using var peer = new Pair1Socket();
        peer.Dial(mirror.ListenTcp());
        Task reflector = Device.RunAsync(mirror, null, cts.Token);
        await mirror.WaitForPipeCountAsync(1);
        for (int i = 0; i < 10; i++)
        {
            await peer.SendTextAsync($"ping{i}");
            Assert.Equal($"ping{i}", await peer.ReceiveTextAsync());
        }
        Assert.Equal(10, mirror.Statistics.MessagesSent);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reflector);
    }
}
