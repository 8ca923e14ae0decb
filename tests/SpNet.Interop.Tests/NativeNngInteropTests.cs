using System.Collections.Concurrent;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>A fact needing libnng.so.1: skipped with the install hint when it is missing, unless SPNET_REQUIRE_PEERS=1.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NativeNngFactAttribute : FactAttribute
{
    public NativeNngFactAttribute()
    {
        if (!Peers.AreRequired && NativeNng.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// SpNet against libnng 1.5.2 through P/Invoke, for what the CLI cannot reach: NNG contexts, raw sockets and
/// nng_device. Native calls block, so each runs on its own long-running task; every wait is bounded.
/// </summary>
public sealed class NativeNngInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Task RunThread(Action action) =>
        Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    [NativeNngFact]
    public async Task Nng_req_contexts_against_SpNet_rep_contexts()
    {
        const int Contexts = 16;
        const int Rounds = 10;
        using var cts = new CancellationTokenSource(Bound);
        await using var rep = new RepSocket();
        string url = rep.Listen("tcp://127.0.0.1:0").Url;
        var workers = new List<Task>();
        for (int w = 0; w < 4; w++)
        {
            SocketContext ctx = rep.OpenContext();
            workers.Add(Task.Run(() => Answering.UntilStoppedAsync(ctx, text => "re:" + text, cts.Token)));
        }

        uint req = NativeNng.OpenReq();
        try
        {
            NativeNng.Dial(req, url);
            var mismatches = new ConcurrentBag<string>();
            var clients = Enumerable.Range(0, Contexts).Select(c => RunThread(() =>
            {
                uint ctx = NativeNng.OpenContext(req);
                try
                {
                    for (int r = 0; r < Rounds; r++)
                    {
                        string request = $"c{c}-r{r}";
                        NativeNng.ContextSendText(ctx, request, Bound);
                        string reply = NativeNng.ContextReceiveText(ctx, Bound);
                        if (reply != "re:" + request)
                        {
                            mismatches.Add($"{request} got {reply}");
                        }
                    }
                }
                finally
                {
                    NativeNng.CloseContext(ctx);
                }
            })).ToArray();
            await Eventually.Within(Task.WhenAll(clients), "every NNG context's replies", Bound);
            Assert.Empty(mismatches);
        }
        finally
        {
            NativeNng.Close(req);
            await cts.CancelAsync();
        }
    }

    [NativeNngFact]
    public async Task SpNet_raw_device_between_nng_req_and_nng_rep()
    {
        using var cts = new CancellationTokenSource(Bound);
        uint nngRep = NativeNng.OpenRep();
        uint nngReq = NativeNng.OpenReq();
        await using var back = ReqSocket.CreateRaw();
        await using var front = RepSocket.CreateRaw();
        try
        {
            string repUrl = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
            NativeNng.Listen(nngRep, repUrl);
            NativeNng.SetTimeouts(nngRep, Bound);
            NativeNng.SetTimeouts(nngReq, Bound);
            back.Dial(repUrl);
            string frontUrl = front.Listen("tcp://127.0.0.1:0").Url;
            Task device = Device.RunAsync(front, back, cts.Token);
            NativeNng.Dial(nngReq, frontUrl);
            Task server = RunThread(() =>
            {
                for (int i = 0; i < 5; i++)
                {
                    string q = NativeNng.ReceiveText(nngRep);
                    NativeNng.SendText(nngRep, "re:" + q);
                }
            });
            await Eventually.Within(RunThread(() =>
            {
                for (int i = 0; i < 5; i++)
                {
                    NativeNng.SendText(nngReq, $"q{i}");
                    Assert.Equal($"re:q{i}", NativeNng.ReceiveText(nngReq));
                }
            }), "five requests through the SpNet device", Bound);
            await Eventually.Within(server, "the NNG server", Bound);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(device, "the device to stop", Bound));
        }
        finally
        {
            NativeNng.Close(nngReq);
            NativeNng.Close(nngRep);
        }
    }

    [NativeNngFact]
    public async Task Nng_device_between_SpNet_req_and_SpNet_rep()
    {
        uint front = NativeNng.OpenRepRaw();
        uint back = NativeNng.OpenReqRaw();
        await using var rep = new RepSocket { ReceiveTimeout = Bound, SendTimeout = Bound };
        await using var req = new ReqSocket { ReceiveTimeout = Bound, SendTimeout = Bound };
        Task device = Task.CompletedTask;
        try
        {
            string repUrl = rep.Listen("tcp://127.0.0.1:0").Url;
            NativeNng.Dial(back, repUrl);
            string frontUrl = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
            NativeNng.Listen(front, frontUrl);
            device = NativeNng.RunDevice(front, back);
            req.Dial(frontUrl);
            for (int i = 0; i < 5; i++)
            {
                await req.SendAsync(System.Text.Encoding.UTF8.GetBytes($"q{i}"));
                using (Message m = await Eventually.Within(rep.ReceiveAsync(), "the request through nng_device", Bound))
                {
                    Assert.Equal($"q{i}", m.ToString());
                }
                await rep.SendAsync(System.Text.Encoding.UTF8.GetBytes($"a{i}"));
                using Message reply = await Eventually.Within(req.ReceiveAsync(), "the reply through nng_device", Bound);
                Assert.Equal($"a{i}", reply.ToString());
            }
        }
        finally
        {
            NativeNng.Close(front);
            NativeNng.Close(back);
            await Eventually.Within(device, "nng_device to return after close", Bound);
        }
    }
}
