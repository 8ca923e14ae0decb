using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// SURVEYOR/RESPONDENT over tcp and ws against nngcat and nanocat, SpNet on either end and in either role. nngcat's
/// surveyor gets no --count (interop-notes.md) and ends by itself when its 1 s survey time passes; a peer surveyor
/// that listens waits a second (--delay 1) so that SpNet's dialer is connected before the survey goes out.
/// </summary>
public sealed class SurveyInteropTests
{
    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task SpNetSurveyor_PeerRespondent(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string answer = $"here-from-{cat.Name}";
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(5), SendTimeout = Messages.Timeout };
        var link = new Link(surveyor, side, carrier);
        await using PeerProcess peer = link.Start(cat, "--respondent", ["--data", answer, "-Q"]);
        await peer.GuardAsync(Eventually.True(() => surveyor.Statistics.CurrentPipes == 1, "the respondent connected", Messages.Timeout), what: "connect");

        foreach (string survey in Messages.Numbered("who", 2))
        {
            await surveyor.SendTextAsync(survey);
            await peer.ExpectReceiveAsync(surveyor, answer);
        }
        await peer.ExpectMessagesAsync(Messages.Numbered("who", 2));
    }

    [Theory]
    [PeerMatrix(Peers.NngCat)]
    [PeerMatrix(Peers.NanoCat)]
    public async Task PeerSurveyor_SpNetRespondent(string peerName, Side side, Carrier carrier = Carrier.Tcp)
    {
        Cat cat = Cat.For(peerName);
        string survey = $"survey-from-{cat.Name}";
        await using var respondent = new RespondentSocket { SendTimeout = Messages.Timeout, ReceiveTimeout = Messages.Timeout };
        var link = new Link(respondent, side, carrier);
        await using PeerProcess peer = link.Start(cat, "--surveyor", "--data", survey, "-Q", "--delay", "1", "--recv-timeout", "3");
        await peer.ExpectReceiveAsync(respondent, survey);
        await respondent.SendTextAsync($"answer-to-{cat.Name}");
        await peer.ExpectMessagesAsync([$"answer-to-{cat.Name}"]);
    }
}
