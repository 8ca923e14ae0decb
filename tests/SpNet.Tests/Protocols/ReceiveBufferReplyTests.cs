using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>ReceiveBufferSize on the request/reply and survey patterns, observed through the sockets' counters.</summary>
public class ReceiveBufferReplyTests
{
    [Fact]
    public async Task Rep_with_a_stalled_reader_takes_only_buffer_plus_one_off_the_pipe_until_the_buffer_grows()
    {
        await using var rep = new RepSocket { ReceiveBufferSize = 2 };
        await using var req = new ReqSocket();
        await rep.ConnectTcpAsync(req);
        var contexts = Enumerable.Range(0, 6).Select(_ => req.OpenContext()).ToList();
        for (int i = 0; i < contexts.Count; i++)
        {
            await contexts[i].SendAsync(System.Text.Encoding.UTF8.GetBytes($"r{i}"));
        }

        // Two queued at the REP, a third read off the wire and waiting for room; the rest wait in TCP buffers.
        await Eventually.True(() => rep.Statistics.MessagesReceived >= 3, "three requests read");
        Assert.Equal(3, rep.Statistics.MessagesReceived);
        rep.ReceiveBufferSize = 8;
        await Eventually.True(() => rep.Statistics.MessagesReceived == 6, "the rest taken once the queue grew");

        for (int i = 0; i < 6; i++)
        {
            string request = await rep.ReceiveTextAsync();
            await rep.SendTextAsync("re:" + request);
        }
        for (int i = 0; i < contexts.Count; i++)
        {
            using Message reply = await Eventually.Within(contexts[i].ReceiveAsync(), $"reply {i}");
            Assert.Equal($"re:r{i}", reply.ToString());
            contexts[i].Dispose();
        }
        Assert.Equal(0, rep.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Respondent_with_a_stalled_reader_holds_the_pipe_at_its_buffer_size()
    {
        await using var surveyor = new SurveyorSocket();
        await using var respondent = new RespondentSocket { ReceiveBufferSize = 2 };
        await surveyor.ConnectTcpAsync(respondent);
        for (int i = 0; i < 6; i++)
        {
            await surveyor.SendTextAsync($"s{i}"); // each new survey replaces the last at the surveyor; all go out
        }

        await Eventually.True(() => respondent.Statistics.MessagesReceived >= 3, "three surveys read");
        Assert.Equal(3, respondent.Statistics.MessagesReceived);
        respondent.ReceiveBufferSize = 8;
        await Eventually.True(() => respondent.Statistics.MessagesReceived == 6, "the rest taken once the queue grew");
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal($"s{i}", await respondent.ReceiveTextAsync());
        }
        Assert.Equal(0, respondent.Statistics.MessagesDropped);
    }

    [Fact]
    public async Task Surveyor_keeps_receive_buffer_size_answers_per_survey_and_drops_the_rest_counted()
    {
        await using var surveyor = new SurveyorSocket { ReceiveBufferSize = 2, SurveyTime = TimeSpan.FromSeconds(30) };
        string url = surveyor.ListenTcp();
        var respondents = new List<RespondentSocket>();
        await using var disposeAll = Owned.Each(respondents);
        for (int i = 0; i < 4; i++)
        {
            var respondent = new RespondentSocket();
            respondents.Add(respondent);
            respondent.Dial(url);
        }
        await surveyor.WaitForPipeCountAsync(4);
        await surveyor.SendTextAsync("who?");
        foreach (RespondentSocket respondent in respondents)
        {
            Assert.Equal("who?", await respondent.ReceiveTextAsync());
            await respondent.SendTextAsync("me");
        }

        await Eventually.True(() => surveyor.Statistics.MessagesReceived == 4, "all four answers read");
        Assert.Equal(2, surveyor.Statistics.MessagesDropped);
        Assert.Equal("me", await surveyor.ReceiveTextAsync());
        Assert.Equal("me", await surveyor.ReceiveTextAsync());
        Assert.False(surveyor.TryReceive(out _)); // the survey is still running: nothing more, no error
    }

    [Fact]
    public async Task Raw_req_reply_queue_applies_backpressure_at_its_buffer_size()
    {
        await using var rep = new RepSocket();
        await using var req = ReqSocket.CreateRaw();
        req.ReceiveBufferSize = 2;
        await rep.ConnectTcpAsync(req);
        for (uint i = 0; i < 6; i++)
        {
            Message request = Message.Create($"r{i}");
            request.AppendHeaderUInt32(0x80000000u | i); // raw: the application writes the request id
            await Eventually.Within(req.SendAsync(request), "raw request");
        }
        for (int i = 0; i < 6; i++)
        {
            string request = await rep.ReceiveTextAsync();
            await rep.SendTextAsync("re:" + request);
        }

        await Eventually.True(() => req.Statistics.MessagesReceived >= 3, "three replies read");
        Assert.Equal(3, req.Statistics.MessagesReceived);
        req.ReceiveBufferSize = 8;
        await Eventually.True(() => req.Statistics.MessagesReceived == 6, "the rest taken once the queue grew");
        for (uint i = 0; i < 6; i++)
        {
            Assert.True(req.TryReceive(out Message? reply));
            using (reply)
            {
                Assert.Equal($"re:r{i}", reply!.ToString());
                Assert.Equal(0x80000000u | i, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(reply.Header));
            }
        }
    }
}
