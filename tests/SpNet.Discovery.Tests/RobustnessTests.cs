using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary>Answers the registry must survive: malformed JSON, wrong shapes, oversized bodies.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public async Task Malformed_and_1_MiB_answers_are_ignored_and_counted_and_the_registry_keeps_going()
    {
        await using Registry registry = await Timing.StartRegistryAsync();
        await using var discovery = DiscoveryClient.Start(registry.PublishUrl);
        await using var good = TestMember.Start(registry.SurveyUrl, "good", "good0");

        byte[][] bad =
        [
            "{not json"u8.ToArray(),
            "{\"service\":\"x\"}"u8.ToArray(),
            "{\"service\":\"x\",\"address\":\"tcp://1.2.3.4:5\",\"meta\":{\"n\":1}}"u8.ToArray(),
            [0xff, 0xfe, 0x00],
        ];
        var responders = bad.Select(b => StartResponder(registry.SurveyUrl, b)).ToList();
        var huge = StartResponder(registry.SurveyUrl, new byte[1024 * 1024]);
        try
        {
            await Eventually.True(() => registry.Statistics.MalformedAnswers >= 3 * bad.Length, "malformed answers counted over 3 rounds", Timing.Hang);
            await Eventually.True(() => registry.Statistics.OversizedAnswers >= 2, "the 1 MiB answer refused (twice)", Timing.Hang);
            long rounds = registry.Statistics.Rounds;
            await Eventually.True(() => registry.Statistics.Rounds >= rounds + 2, "rounds keep coming", Timing.Hang);

            ServiceSnapshot snapshot = discovery.Current;
            Assert.Equal(["good"], snapshot.Services);
            Assert.Single(snapshot.Members);
            Assert.Contains("malformed", registry.Statistics.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            foreach (var (socket, loop) in responders.Append(huge))
            {
                socket.Close();
                await loop.WaitAsync(Timing.Hang);
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// A snapshot with a null member (<c>"members":[null]</c>) used to throw NullReferenceException out of the
    /// decoder and end the client's receive loop, so it never saw another snapshot. Found by the discovery fuzzer.
    /// </summary>
    [Fact]
    public async Task A_snapshot_with_a_null_member_is_counted_and_the_client_keeps_receiving()
    {
        await using var pub = new PubSocket();
        string url = pub.Listen("tcp://127.0.0.1:0").Url;
        await using var discovery = DiscoveryClient.Start(url);
        await Eventually.True(() => pub.Statistics.CurrentPipes == 1, "the client's SUB connected", Timing.Hang);

        await pub.SendAsync("{\"epoch\":5,\"version\":1,\"members\":[null]}"u8.ToArray());
        await Eventually.True(() => discovery.MalformedSnapshots == 1, "the null-member snapshot counted as malformed", Timing.Hang);
        await pub.SendAsync("{\"epoch\":5,\"version\":2,\"members\":[{\"service\":\"s\",\"address\":\"tcp://h:1\"}]}"u8.ToArray());
        ServiceSnapshot next = await discovery.WaitForAsync(s => s.Version == 2).WaitAsync(Timing.Hang);
        Assert.Equal(["s"], next.Services);
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new Registry(new RegistryOptions { PublishUrl = "tcp://127.0.0.1:0" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Registry(new RegistryOptions
        {
            SurveyUrl = "tcp://127.0.0.1:0",
            PublishUrl = "tcp://127.0.0.1:0",
            Interval = TimeSpan.FromSeconds(1),
            SurveyDeadline = TimeSpan.FromSeconds(2),
        }));
        RegistryOptions zeroRounds = Timing.Options();
        zeroRounds.MissedRounds = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => new Registry(zeroRounds));
    }

    private static (RespondentSocket, Task) StartResponder(string surveyUrl, byte[] answer)
    {
        var socket = new RespondentSocket { Linger = TimeSpan.Zero, ReconnectMaxTime = TimeSpan.FromMilliseconds(200) };
        socket.Dial(surveyUrl);
        return (socket, Task.Run(() => Loop(socket, answer)));
    }

    private static async Task Loop(RespondentSocket socket, byte[] answer)
    {
        while (true)
        {
            try
            {
                using (await socket.ReceiveAsync())
                {
                }
                await socket.SendAsync(answer);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
            }
        }
    }
}
