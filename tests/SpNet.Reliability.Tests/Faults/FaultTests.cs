using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Faults;

/// <summary>Listener restarts, slow consumers, send timeouts and partial surveys, in process over loopback tcp.</summary>
public sealed class FaultTests(ITestOutputHelper output) : UnobservedWatch
{
    [Fact]
    public async Task Listener_restarted_20_times_while_10_dialers_keep_sending()
    {
        const int restarts = 20;
        const int dialers = 10;
        TimeSpan reconnectMax = TimeSpan.FromMilliseconds(200);
        int port = TestNetwork.FreePort();
        string url = $"tcp://127.0.0.1:{port}";
        var pushes = new PushSocket[dialers];
        var added = new int[dialers];
        using var stop = new CancellationTokenSource();
        var senders = new Task[dialers];
        for (int d = 0; d < dialers; d++)
        {
            int id = d;
            pushes[d] = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(20), ReconnectMaxTime = reconnectMax, SendBufferSize = 16 };
            pushes[d].PipeAdded += (_, _) => Interlocked.Increment(ref added[id]);
            pushes[d].Dial(url);
            senders[d] = Task.Run(async () =>
            {
                long n = 0;
                try
                {
                    while (true)
                    {
                        await pushes[id].SendAsync(BitConverter.GetBytes(((long)id << 48) | n++), stop.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
        var worst = TimeSpan.Zero;
        long received = 0;
        try
        {
            for (int r = 0; r < restarts; r++)
            {
                await using var pull = new PullSocket();
                var seen = new bool[dialers];
                pull.Listen(url);
                var clock = Stopwatch.StartNew();
                // Every dialer must get a message through this incarnation of the listener.
                while (seen.Contains(false))
                {
                    using Message m = await Eventually.Within(pull.ReceiveAsync().AsTask(), $"restart {r}: messages from every dialer (missing {string.Join(",", Enumerable.Range(0, dialers).Where(i => !seen[i]))})", TimeSpan.FromSeconds(5));
                    seen[(int)(BitConverter.ToInt64(m.Body) >> 48)] = true;
                    received++;
                }
                if (clock.Elapsed > worst)
                {
                    worst = clock.Elapsed;
                }
            }
            Assert.All(added, a => Assert.True(a >= restarts, $"a dialer connected only {a} times"));
            output.WriteLine($"{restarts} listener restarts, {dialers} dialers (ReconnectMaxTime {reconnectMax.TotalMilliseconds:0} ms): all reconnected every time; slowest restart until every dialer was heard: {worst.TotalMilliseconds:0} ms; {received:N0} messages checked");
            Assert.True(senders.All(s => !s.IsFaulted), "a sender saw an exception");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(senders).WaitAsync(TimeSpan.FromSeconds(5));
            foreach (PushSocket push in pushes)
            {
                await push.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Pub_with_a_stalled_and_a_fast_sub_never_blocks_and_stays_bounded()
    {
        const int messages = 20_000;
        const int size = 4096;
        await using var pub = new PubSocket();
        string url = pub.Listen(Addresses.TcpLoopback).Url;
        // The stalled subscriber: a raw socket that handshakes and never reads, so TCP's window closes.
        var (stalled, _) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x21);
        stalled.Socket.ReceiveBufferSize = 4096;
        using (stalled)
        {
            await using var fast = new SubSocket();
            fast.Subscribe("");
            await Eventually.Within(fast.DialAsync(url).AsTask(), "fast dial");
            await Eventually.True(() => pub.Statistics.CurrentPipes == 2, "both subscribers attached");
            long received = 0;
            Task reader = Task.Run(async () =>
            {
                while (received < messages)
                {
                    using Message m = await fast.ReceiveAsync();
                    received++;
                }
            });
            GC.Collect();
            long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
            byte[] body = new byte[size];
            var clock = Stopwatch.StartNew();
            var slowest = TimeSpan.Zero;
            for (int i = 0; i < messages; i++)
            {
                var one = Stopwatch.StartNew();
                await pub.SendAsync(body);
                if (one.Elapsed > slowest)
                {
                    slowest = one.Elapsed;
                }
                // Pace so the fast subscriber keeps up (PUB drops for anyone whose queue is full, fast ones included).
                while (i - Interlocked.Read(ref received) > 64)
                {
                    await Task.Yield();
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "fast subscriber stopped receiving");
                }
            }
            TimeSpan publishTime = clock.Elapsed;
            await Eventually.Within(reader, "fast subscriber got everything", TimeSpan.FromSeconds(10));
            long memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
            // Bound: the stalled pipe's queue (SendBufferSize messages) plus socket buffers plus slack.
            long bound = (pub.SendBufferSize * (long)size * 2) + (8L * 1024 * 1024);
            output.WriteLine($"PUB {messages:N0} x {size} B: fast SUB got {received:N0}, dropped for the stalled SUB {pub.Statistics.MessagesDropped:N0}; publish took {publishTime.TotalMilliseconds:0} ms, slowest send {slowest.TotalMilliseconds:0.0} ms; managed heap {memoryBefore / 1024:N0} -> {memoryAfter / 1024:N0} KiB (growth bound {bound / 1024:N0} KiB)");
            Assert.Equal(messages, received);
            Assert.True(pub.Statistics.MessagesDropped > 0, "the stalled subscriber should lose messages once its queue and socket buffers are full");
            Assert.True(slowest < TimeSpan.FromMilliseconds(500), $"a publish blocked for {slowest.TotalMilliseconds:0} ms");
            Assert.True(memoryAfter - memoryBefore < bound, $"heap grew by {(memoryAfter - memoryBefore) / 1024:N0} KiB");
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(400)]
    public async Task Push_to_a_stalled_pull_times_out_per_SendTimeout(int timeoutMs)
    {
        TimeSpan sendTimeout = TimeSpan.FromMilliseconds(timeoutMs);
        await using var push = new PushSocket { SendTimeout = sendTimeout, SendBufferSize = 4 };
        string url = push.Listen(Addresses.TcpLoopback).Url;
        var (stalled, _) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x51);
        using (stalled)
        {
            await Eventually.True(() => push.Statistics.CurrentPipes == 1, "pipe");
            byte[] body = new byte[64 * 1024];
            int accepted = 0;
            var clock = Stopwatch.StartNew();
            SpNetException? timedOut = null;
            while (timedOut is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                var one = Stopwatch.StartNew();
                Task<TimeSpan> control = TimerLateness.StartAsync(sendTimeout);
                try
                {
                    await push.SendAsync(body);
                    accepted++;
                }
                catch (SpNetException ex)
                {
                    timedOut = ex;
                    TimeSpan waited = one.Elapsed;
                    TimeSpan controlLate = await control;
                    output.WriteLine($"SendTimeout {timeoutMs} ms: {accepted} messages of 64 KiB queued or in socket buffers, then a send waited {waited.TotalMilliseconds:0} ms and failed with {ex.Error}; a plain timer of the same length was {controlLate.TotalMilliseconds:0} ms late");
                    Assert.Equal(SpError.TimedOut, ex.Error);
                    Assert.True(waited >= sendTimeout - TimeSpan.FromMilliseconds(15), $"gave up early: {waited.TotalMilliseconds:0} ms");
                    TimeSpan late = waited - sendTimeout - controlLate;
                    Assert.True(late <= TimeSpan.FromMilliseconds(250), $"gave up late: {waited.TotalMilliseconds:0} ms, {late.TotalMilliseconds:0} ms more than a plain timer");
                }
            }
            Assert.NotNull(timedOut);
        }
    }

    [Fact]
    public async Task Survey_with_100_respondents_of_which_20_never_answer_ends_at_its_deadline_with_80_answers()
    {
        // 80 answers from 100 respondents must beat the deadline: generous, as a loaded 2-core machine can stall a
        // single receive for about a second.
        TimeSpan surveyTime = TimeSpan.FromSeconds(5);
        await using var surveyor = new SurveyorSocket { SurveyTime = surveyTime };
        string url = surveyor.Listen(Addresses.TcpLoopback).Url;
        var respondents = new List<RespondentSocket>();
        using var stop = new CancellationTokenSource();
        var loops = new List<Task>();
        try
        {
            for (int i = 0; i < 100; i++)
            {
                var respondent = new RespondentSocket();
                respondents.Add(respondent);
                respondent.Dial(url);
                bool willAnswer = i >= 20;
                loops.Add(Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            using Message question = await respondent.ReceiveAsync(stop.Token);
                            if (willAnswer)
                            {
                                await respondent.SendAsync("yes"u8.ToArray(), stop.Token);
                            }
                        }
                    }
                    catch (Exception ex) when (ex is OperationCanceledException or SpNetException)
                    {
                    }
                }));
            }
            await Eventually.True(() => surveyor.Statistics.CurrentPipes == 100, $"100 respondents attached ({surveyor.Statistics})", TimeSpan.FromSeconds(10));
            var clock = Stopwatch.StartNew();
            Task<TimeSpan> control = TimerLateness.StartAsync(surveyTime);
            await surveyor.SendAsync("question"u8.ToArray());
            int answers = 0;
            SpNetException? end = null;
            while (end is null)
            {
                try
                {
                    using Message answer = await Eventually.Within(surveyor.ReceiveAsync().AsTask(), "answer or deadline", surveyTime + TimeSpan.FromSeconds(2));
                    answers++;
                }
                catch (SpNetException ex)
                {
                    end = ex;
                }
            }
            TimeSpan took = clock.Elapsed;
            TimeSpan controlLate = await control;
            output.WriteLine($"survey: {answers} answers from 100 respondents (20 silent), ended after {took.TotalMilliseconds:0} ms (SurveyTime {surveyTime.TotalMilliseconds:0} ms) with {end.Error}; a plain timer of the same length was {controlLate.TotalMilliseconds:0} ms late");
            Assert.Equal(80, answers);
            Assert.Equal(SpError.TimedOut, end.Error);
            TimeSpan late = took - surveyTime - controlLate;
            Assert.True(took >= surveyTime - TimeSpan.FromMilliseconds(15) && late <= TimeSpan.FromMilliseconds(300), $"ended after {took.TotalMilliseconds:0} ms, {late.TotalMilliseconds:0} ms more than a plain timer");
        }
        finally
        {
            await stop.CancelAsync();
            foreach (RespondentSocket r in respondents)
            {
                await r.DisposeAsync();
            }
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
