using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class SurveyTests
{
    private const ushort SurveyorId = 0x62;
    private const ushort RespondentId = 0x63;

    private static async Task<SpNetException> ReceiveFailsAsync(Socket socket, TimeSpan? bound = null)
    {
        Task<Message> receive = Task.Run(async () => await socket.ReceiveAsync());
        return await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(receive, "the receive to fail", bound));
    }

    /// <summary>
    /// A survey deadline the answers must beat. It is a race with the scheduler, so it is generous: under load
    /// (stress-ng --cpu 2 on 2 cores) a first receive has taken 940 ms, and 500 ms failed 1 run in 10–25.
    /// The tests that wait for it to pass run their cases concurrently, so the suite pays it once per test.
    /// </summary>
    private static readonly TimeSpan s_answerDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Survey_reaches_every_respondent_and_collects_every_answer_until_the_deadline()
    {
        await Task.WhenAll(SurveyEveryRespondentAsync(Addresses.Inproc("survey")), SurveyEveryRespondentAsync(Addresses.TcpLoopback));
    }

    private static async Task SurveyEveryRespondentAsync(string url)
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = s_answerDeadline };
        string bound = surveyor.Listen(url).Url;
        var respondents = new List<RespondentSocket>();
        for (int i = 0; i < 3; i++)
        {
            var r = new RespondentSocket();
            r.Dial(bound);
            respondents.Add(r);
        }
        await using var disposeAll = Owned.Each(respondents);
        await surveyor.WaitForPipeCountAsync(3);
        await surveyor.SendTextAsync("who?");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal("who?", await respondents[i].ReceiveTextAsync());
            await respondents[i].SendTextAsync($"me{i}");
        }
        var answers = new HashSet<string>();
        for (int i = 0; i < 3; i++)
        {
            answers.Add(await surveyor.ReceiveTextAsync());
        }
        Assert.Equal(new HashSet<string> { "me0", "me1", "me2" }, answers);

        // Nothing more: the waiting receive times out at the deadline, a later one is a state error (NNG).
        SpNetException timedOut = await ReceiveFailsAsync(surveyor);
        Assert.Equal(SpError.TimedOut, timedOut.Error);
        Assert.Equal(SpError.IncorrectState, (await ReceiveFailsAsync(surveyor)).Error);
    }

    [Fact]
    public async Task Receive_waits_exactly_about_the_survey_time()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromMilliseconds(300) };
        Assert.Equal(SpError.IncorrectState, (await ReceiveFailsAsync(surveyor)).Error); // no survey yet
        await surveyor.SendTextAsync("anyone?"); // no pipes: discarded, still a survey
        var clock = Stopwatch.StartNew();
        Assert.Equal(SpError.TimedOut, (await ReceiveFailsAsync(surveyor)).Error);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(2500));
    }

    [Fact]
    public async Task Default_survey_time_is_one_second_as_NNG()
    {
        await using var surveyor = new SurveyorSocket();
        Assert.Equal(TimeSpan.FromSeconds(1), surveyor.SurveyTime);
        Assert.Equal(8, surveyor.MaxTtl);
        Assert.Equal(0x62, surveyor.ProtocolId);
        Assert.Equal("respondent", surveyor.PeerName);
        await using var respondent = new RespondentSocket();
        Assert.Equal(0x63, respondent.ProtocolId);
        Assert.Equal("surveyor", respondent.PeerName);
        Assert.False(surveyor.IsRaw);
    }

    [Fact]
    public async Task Survey_ids_have_bit_31_set_and_count_up_and_stale_answers_are_dropped()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = s_answerDeadline };
        string url = surveyor.ListenTcp();
        using (RawSpPeer peer = await surveyor.ConnectRawPeerAsync(url, RespondentId))
        {
            await surveyor.WaitForPipeCountAsync(1);

            await surveyor.SendTextAsync("one");
            byte[] first = await peer.ReceiveFrameAsync();
            uint id1 = BinaryPrimitives.ReadUInt32BigEndian(first);
            Assert.True((id1 & 0x80000000u) != 0, "bit 31 of the survey id");
            Assert.Equal("one"u8.ToArray(), first[4..]);

            // A new survey cancels the old: the answer to the first is stale, the answer to the second counts.
            await surveyor.SendTextAsync("two");
            byte[] second = await peer.ReceiveFrameAsync();
            uint id2 = BinaryPrimitives.ReadUInt32BigEndian(second);
            Assert.Equal(id1 + 1, id2);
            await peer.SendFrameAsync(RawSpPeer.Tagged([id1], "old"u8));
            await peer.SendFrameAsync(RawSpPeer.Tagged([0x80000000u | (id2 + 1000)], "unknown"u8));
            await peer.SendFrameAsync(RawSpPeer.Tagged([id2], "new"u8));
            Assert.Equal("new", await surveyor.ReceiveTextAsync());
            await Eventually.True(() => surveyor.Statistics.MessagesDropped == 2, "the old and the unknown answer dropped");

            // After the deadline even the right id is stale.
            Assert.Equal(SpError.TimedOut, (await ReceiveFailsAsync(surveyor)).Error);
            await peer.SendFrameAsync(RawSpPeer.Tagged([id2], "late"u8));
            await Eventually.True(() => surveyor.Statistics.MessagesDropped == 3, "the late answer dropped");
            Assert.Equal(1, surveyor.Statistics.CurrentPipes);
        }
    }

    [Fact]
    public async Task A_new_survey_cancels_a_waiting_receive_of_the_old_one()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(10) };
        await surveyor.SendTextAsync("one");
        Task<Message> waiting = surveyor.ReceiveAsync().AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        await surveyor.SendTextAsync("two");
        var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(waiting, "the old receive to end"));
        Assert.Equal(SpError.Canceled, ex.Error);
    }

    [Fact]
    public async Task Answer_shorter_than_a_survey_id_closes_the_pipe()
    {
        await using var surveyor = new SurveyorSocket();
        using RawSpPeer peer = await surveyor.ConnectRawPeerAsync(RespondentId);
        await surveyor.WaitForPipeCountAsync(1);
        await peer.SendFrameAsync([0x80, 0, 0]);
        Assert.True(await peer.WaitForRemoteCloseAsync(), "SURVEYOR kept a pipe that sent a 3-byte answer");
        await Eventually.True(() => surveyor.Statistics.ProtocolErrors == 1, "protocol error counted");
    }

    [Fact]
    public async Task Full_pipe_misses_the_survey_and_the_others_get_it()
    {
        await using var surveyor = new SurveyorSocket { SendBufferSize = 1 };
        string url = surveyor.ListenTcp();
        // A peer that never reads: its queue and socket buffers fill up, and it then misses surveys.
        RawSpPeer stuck = await surveyor.ConnectRawPeerAsync(url, RespondentId);
        await using var good = new RespondentSocket();
        good.Dial(url);
        using (stuck)
        {
            await surveyor.WaitForPipeCountAsync(2);
            byte[] big = new byte[256 * 1024];
            for (int i = 0; i < 40; i++)
            {
                await surveyor.SendAsync(big);
                using Message m = await Eventually.Within(good.ReceiveAsync(), "the good respondent's copy");
                Assert.Equal(big.Length, m.BodyLength);
            }
            Assert.True(surveyor.Statistics.MessagesDropped > 0, "the stuck pipe missed some surveys");
        }
    }

    [Fact]
    public async Task Respondent_answers_with_the_exact_backtrace_and_only_to_the_arrival_pipe()
    {
        await using var respondent = new RespondentSocket();
        string url = respondent.ListenTcp();
        RawSpPeer a = await respondent.ConnectRawPeerAsync(url, SurveyorId);
        RawSpPeer b = await respondent.ConnectRawPeerAsync(url, SurveyorId);
        using (a)
        using (b)
        {
            uint[] tags = [0x12345678, 0xcf9b4b1c];
            await b.SendFrameAsync(RawSpPeer.Tagged(tags, "ping"u8));
            Assert.Equal("ping", await respondent.ReceiveTextAsync());
            await respondent.SendTextAsync("pong");
            Assert.Equal(RawSpPeer.Tagged(tags, "pong"u8), await b.ReceiveFrameAsync());
            await Assert.ThrowsAsync<TimeoutException>(() => a.ReceiveFrameAsync(TimeSpan.FromMilliseconds(200)));

            // Vector 9 of wire-protocol.md §8.
            await a.SendAsync(Convert.FromHexString("0000000000000008cf9b4b1c70696e67"));
            Assert.Equal("ping", await respondent.ReceiveTextAsync());
            await respondent.SendTextAsync("pong");
            Assert.Equal(Convert.FromHexString("cf9b4b1c706f6e67"), await a.ReceiveFrameAsync());
        }
    }

    [Fact]
    public async Task Respondent_send_without_a_survey_is_IncorrectState()
    {
        await using var respondent = new RespondentSocket();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => respondent.SendAsync("x"u8.ToArray()).AsTask());
        Assert.Equal(SpError.IncorrectState, ex.Error);
    }

    [Fact]
    public async Task Respondent_drops_over_MaxTtl_and_closes_a_pipe_without_a_survey_id()
    {
        await using var respondent = new RespondentSocket { MaxTtl = 3 };
        using RawSpPeer peer = await respondent.ConnectRawPeerAsync(SurveyorId);
        await respondent.WaitForPipeCountAsync(1);
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2, 3, 0x80000001], "four tags"u8));
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2, 0x80000002], "three tags"u8));
        Assert.Equal("three tags", await respondent.ReceiveTextAsync());
        Assert.Equal(1, respondent.Statistics.MessagesDropped);
        await peer.SendFrameAsync(RawSpPeer.Tagged([1, 2], ""u8));
        Assert.True(await peer.WaitForRemoteCloseAsync(), "RESPONDENT kept a pipe that sent no survey id");
        await Eventually.True(() => respondent.Statistics.ProtocolErrors == 1, "protocol error counted");
    }

    [Fact]
    public async Task Wrong_peer_protocol_is_rejected()
    {
        await using var surveyor = new SurveyorSocket();
        using RawSpPeer peer = await surveyor.ConnectRawPeerAsync(0x31);
        Assert.True(await peer.WaitForRemoteCloseAsync(), "SURVEYOR accepted a REP peer");
    }
}
