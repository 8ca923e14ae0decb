using System.Collections.Concurrent;
using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Tests.Protocols;

public class ContextTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Ten_thousand_requests_in_flight_through_req_contexts_against_rep_context_workers()
    {
        const int InFlight = 10_000;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        await rep.ConnectTcpAsync(req);

        // REP workers: each its own context, answering with the request's text reversed-tagged.
        var workers = new List<Task>();
        var served = new ConcurrentDictionary<string, int>();
        for (int w = 0; w < 8; w++)
        {
            SocketContext ctx = rep.OpenContext();
            workers.Add(Task.Run(async () =>
            {
                await using (ctx)
                {
                    await Answering.UntilStoppedAsync(ctx, text =>
                    {
                        served.AddOrUpdate(text, 1, (_, n) => n + 1);
                        return "re:" + text;
                    }, cts.Token);
                }
            }));
        }

        var contexts = new SocketContext[InFlight];
        for (int i = 0; i < InFlight; i++)
        {
            contexts[i] = req.OpenContext();
        }
        var clock = Stopwatch.StartNew();
        // Send all first (10,000 outstanding at once), then collect every reply.
        for (int i = 0; i < InFlight; i++)
        {
            await contexts[i].SendAsync(System.Text.Encoding.UTF8.GetBytes($"r{i}"), cts.Token);
        }
        var replies = new Task<string>[InFlight];
        for (int i = 0; i < InFlight; i++)
        {
            SocketContext ctx = contexts[i];
            replies[i] = Task.Run(async () =>
            {
                using Message m = await ctx.ReceiveAsync(cts.Token);
                return m.ToString();
            });
        }
        string[] got = await Eventually.Within(Task.WhenAll(replies), "10,000 replies", TimeSpan.FromSeconds(60));
        clock.Stop();
        output.WriteLine($"10,000 requests in flight over tcp, 8 REP context workers: {clock.Elapsed.TotalMilliseconds:F0} ms");
        for (int i = 0; i < InFlight; i++)
        {
            Assert.Equal($"re:r{i}", got[i]);
        }
        Assert.Equal(InFlight, served.Count);
        Assert.All(served.Values, n => Assert.Equal(1, n)); // none duplicated (no resends happened)
        Assert.Equal(0, req.Statistics.MessagesDropped);
        foreach (var c in contexts)
        {
            await c.DisposeAsync();
        }
        await cts.CancelAsync();
        await Eventually.Within(Task.WhenAll(workers), "workers to stop");
    }

    [Fact]
    public async Task Surveyor_contexts_each_get_exactly_fifty_answers()
    {
        const int Respondents = 50;
        const int Surveys = 20;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(10), SendBufferSize = 64 };
        string url = surveyor.ListenTcp();
        var respondents = new List<RespondentSocket>();
        var loops = new List<Task>();
        for (int r = 0; r < Respondents; r++)
        {
            var socket = new RespondentSocket();
            socket.Dial(url);
            respondents.Add(socket);
            int me = r;
            loops.Add(Task.Run(async () =>
            {
                SocketContext ctx = socket.OpenContext();
                await Answering.UntilStoppedAsync(ctx, text => $"{text}:{me}", cts.Token);
            }));
        }
        try
        {
            await surveyor.WaitForPipeCountAsync(Respondents, TimeSpan.FromSeconds(20));
            var contexts = Enumerable.Range(0, Surveys).Select(_ => surveyor.OpenContext()).ToArray();
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < Surveys; s++)
            {
                await contexts[s].SendAsync(System.Text.Encoding.UTF8.GetBytes($"s{s}"), cts.Token);
            }
            var collected = contexts.Select((ctx, s) => Task.Run(async () =>
            {
                var answers = new HashSet<string>();
                for (int i = 0; i < Respondents; i++)
                {
                    using Message m = await ctx.ReceiveAsync(cts.Token);
                    Assert.True(answers.Add(m.ToString()), "duplicate answer");
                }
                return answers;
            })).ToArray();
            HashSet<string>[] all = await Eventually.Within(Task.WhenAll(collected), "every survey's answers", TimeSpan.FromSeconds(30));
            output.WriteLine($"{Surveys} concurrent surveys × {Respondents} respondents: {clock.Elapsed.TotalMilliseconds:F0} ms");
            for (int s = 0; s < Surveys; s++)
            {
                Assert.Equal(Respondents, all[s].Count);
                Assert.All(all[s], a => Assert.StartsWith($"s{s}:", a));
                Assert.False(contexts[s].TryReceive(out _), "no 51st answer");
            }
        }
        finally
        {
            await cts.CancelAsync();
            foreach (var r in respondents)
            {
                await r.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Req_context_has_its_own_resend_timer_and_id()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        req.Dial(rep.ListenTcp());
        await using ReqContext a = req.OpenContext();
        await using ReqContext b = req.OpenContext();
        a.ResendTime = TimeSpan.FromMilliseconds(200);
        Assert.Equal(TimeSpan.FromMinutes(1), b.ResendTime);
        await a.SendAsync("a"u8.ToArray());
        await b.SendAsync("b"u8.ToArray());
        var seen = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            seen.Add(await rep.ReceiveTextAsync()); // a, b, then a's resend (b does not resend within a minute)
        }
        Assert.Equal(2, seen.Count(s => s == "a"));
        Assert.Single(seen, "b");
        await rep.SendTextAsync("to-a");
        Assert.Equal("to-a", (await Eventually.Within(a.ReceiveAsync(), "a's reply")).ToString());
        Assert.False(b.TryReceive(out _));
    }

    [Fact]
    public async Task Closing_a_context_fails_its_pending_receive_and_receive_without_request_is_a_state_error()
    {
        await using var silent = new RepSocket(); // takes requests, never answers
        await using var req = new ReqSocket();
        req.Dial(silent.ListenTcp());
        await req.WaitForPipeCountAsync(1);
        SocketContext ctx = req.OpenContext();
        Assert.Equal(SpError.IncorrectState, (await Assert.ThrowsAsync<SpNetException>(async () => await ctx.ReceiveAsync())).Error);
        await Eventually.Within(ctx.SendAsync("x"u8.ToArray()), "the request to go out");
        Task<Message> pending = ctx.ReceiveAsync().AsTask();
        await ctx.DisposeAsync();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(pending, "the receive to fail"));
        Assert.Equal(SpError.Closed, ex.Error);

        await using var rep = new RepSocket();
        using SocketContext repCtx = rep.OpenContext();
        Task<Message> repPending = repCtx.ReceiveAsync().AsTask();
        await repCtx.DisposeAsync();
        Assert.Equal(SpError.Closed, (await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(repPending, "the REP receive to fail"))).Error);
    }
}
