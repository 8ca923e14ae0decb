using SpNet.TestKit;

namespace SpNet.Tests.Api;

public class DeviceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Req_through_devices_to_rep_gets_its_replies(int devices)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var rep = new RepSocket();
        string next = rep.ListenTcp();
        var sockets = new List<Socket>();
        var running = new List<Task>();
        for (int i = 0; i < devices; i++)
        {
            var back = ReqSocket.CreateRaw();
            var front = RepSocket.CreateRaw();
            back.Dial(next);
            next = front.ListenTcp();
            sockets.Add(back);
            sockets.Add(front);
            running.Add(Device.RunAsync(front, back, cts.Token));
        }
        await using var req = new ReqSocket();
        req.Dial(next);
        try
        {
            for (int i = 0; i < 20; i++)
            {
                await req.SendTextAsync($"q{i}");
                using (Message m = await Eventually.Within(rep.ReceiveAsync(), "the request through the devices"))
                {
                    Assert.Equal($"q{i}", m.ToString());
                }
                await rep.SendTextAsync($"a{i}");
                Assert.Equal($"a{i}", await req.ReceiveTextAsync());
            }
        }
        finally
        {
            await cts.CancelAsync();
            foreach (Task t in running)
            {
                await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(t, "the device to stop"));
            }
            foreach (Socket s in sockets)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Device_adding_a_hop_respects_MaxTtl()
    {
        // The REP behind the device allows 2 tags: a direct request has 1, through the device 2, fine; a peer that
        // already adds a hop makes 3 after the device, so the REP drops it.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var rep = new RepSocket { MaxTtl = 2 };
        await using var back = ReqSocket.CreateRaw();
        await using var front = RepSocket.CreateRaw();
        back.Dial(rep.ListenTcp());
        string url = front.ListenTcp();
        Task device = Device.RunAsync(front, back, cts.Token);
        using (RawSpPeer peer = await front.ConnectRawPeerAsync(url, 0x30))
        {
            await rep.WaitForPipeCountAsync(1);
            await peer.SendFrameAsync(RawSpPeer.Tagged([3, 0x80000001], "deep"u8));
            await peer.SendFrameAsync(RawSpPeer.Tagged([0x80000002], "shallow"u8));
            Assert.Equal("shallow", await rep.ReceiveTextAsync());
            Assert.Equal(1, rep.Statistics.MessagesDropped);
        }
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(device, "the device to stop"));
    }

    [Fact]
    public async Task Surveyor_through_a_device_reaches_respondents()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(5) };
        await using var front = RespondentSocket.CreateRaw();
        await using var back = SurveyorSocket.CreateRaw();
        front.Dial(surveyor.ListenTcp());
        string url = back.ListenTcp();
        Task device = Device.RunAsync(front, back, cts.Token);
        await using var r1 = new RespondentSocket();
        await using var r2 = new RespondentSocket();
        r1.Dial(url);
        r2.Dial(url);
        await back.WaitForPipeCountAsync(2);
        await surveyor.WaitForPipeCountAsync(1);
        await surveyor.SendTextAsync("vote");
        foreach (var r in new[] { r1, r2 })
        {
            Assert.Equal("vote", await r.ReceiveTextAsync());
            await r.SendTextAsync("yes");
        }
        Assert.Equal("yes", await surveyor.ReceiveTextAsync());
        Assert.Equal("yes", await surveyor.ReceiveTextAsync());
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(device, "the device to stop"));
    }

    [Fact]
    public async Task Device_rejects_cooked_sockets_non_peers_and_reflecting_a_non_self_peer()
    {
        await using var cooked = new RepSocket();
        await using var rawRep = RepSocket.CreateRaw();
        await using var rawReq = ReqSocket.CreateRaw();
        await using var rawSurveyor = SurveyorSocket.CreateRaw();
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => { _ = Device.RunAsync(cooked, rawReq); }).Error);
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => { _ = Device.RunAsync(rawRep, rawSurveyor); }).Error);
        Assert.Equal(SpError.InvalidArgument, Assert.Throws<SpNetException>(() => { _ = Device.RunAsync(rawRep, null); }).Error);
    }

    [Fact]
    public async Task Device_ends_when_a_socket_closes()
    {
        await using var front = RepSocket.CreateRaw();
        await using var back = ReqSocket.CreateRaw();
        Task device = Device.RunAsync(front, back);
        front.Close();
        await Eventually.Within(device, "the device to end after a close");
    }
}
