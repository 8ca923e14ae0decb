using SpNet.TestKit;

namespace SpNet.Tests.Api.Contexts;

/// <summary>A SURVEYOR socket's context is a <see cref="SurveyorContext"/>: its survey time is its own.</summary>
public class SurveyorContextTests
{
    [Fact]
    public async Task SurveyTime_starts_as_the_sockets_and_changing_it_leaves_the_socket_alone()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = TimeSpan.FromSeconds(3) };
        await using SurveyorContext context = surveyor.OpenContext();
        Assert.Same(surveyor, context.Socket);
        Assert.Equal(TimeSpan.FromSeconds(3), context.SurveyTime);
        context.SurveyTime = TimeSpan.FromMilliseconds(250);
        Assert.Equal(TimeSpan.FromMilliseconds(250), context.SurveyTime);
        Assert.Equal(TimeSpan.FromSeconds(3), surveyor.SurveyTime);
    }

    [Fact]
    public async Task A_context_survey_ends_at_the_contexts_deadline_not_the_sockets()
    {
        await using var surveyor = new SurveyorSocket { SurveyTime = Timeout.InfiniteTimeSpan };
        await using SurveyorContext context = surveyor.OpenContext();
        context.SurveyTime = TimeSpan.FromMilliseconds(100);
        await context.SendAsync("anyone?"u8.ToArray()); // no respondents: only the deadline can end the receive
        var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(context.ReceiveAsync(), "the survey deadline"));
        Assert.Equal(SpError.TimedOut, ex.Error);
    }
}
