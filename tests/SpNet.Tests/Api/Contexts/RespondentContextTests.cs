using SpNet.TestKit;

namespace SpNet.Tests.Api.Contexts;

/// <summary>A RESPONDENT socket's context is a <see cref="RespondentContext"/>: it answers the survey it received.</summary>
public class RespondentContextTests
{
    [Fact]
    public async Task A_context_answers_the_survey_it_holds()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(30) };
        await using var respondent = new RespondentSocket();
        await surveyor.ConnectTcpAsync(respondent);
        await using RespondentContext context = respondent.OpenContext();
        Assert.Same(respondent, context.Socket);
        Task<Message> survey = context.ReceiveAsync().AsTask();
        await surveyor.SendTextAsync("count");
        using (Message received = await Eventually.Within(survey, "the survey"))
        {
            Assert.Equal("count", received.ToString());
        }
        await context.SendAsync("one"u8.ToArray());
        Assert.Equal("one", await surveyor.ReceiveTextAsync());
    }

    [Fact]
    public async Task Sending_before_receiving_a_survey_is_IncorrectState()
    {
        await using var respondent = new RespondentSocket();
        await using RespondentContext context = respondent.OpenContext();
        Assert.Equal(SpError.IncorrectState, (await Assert.ThrowsAsync<SpNetException>(async () => await context.SendAsync("unasked"u8.ToArray()))).Error);
    }
}
