using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A SURVEYOR context (from <see cref="SurveyorSocket.OpenContext"/>): its own survey id, deadline and answers,
/// sharing the socket's connections. A new survey on it cancels its previous one only.
/// </summary>
public sealed class SurveyorContext : SocketContext
{
    private static readonly Option<SurveyorContext, TimeSpan> s_surveyTime = new(OptionNames.SurveyorSurveyTime, OptionKind.PositiveOrInfinite,
        c => c._survey.SurveyTime, (c, v) => c._survey.SurveyTime = v);

    /// <summary>A SURVEYOR context's options (NNG's surveyor0 context table): the timeouts and the survey time.</summary>
    private static readonly OptionTable<SurveyorContext> s_options = CommonOptions.With(s_surveyTime);

    private readonly Surveyor.SurveyContext _survey;

    internal SurveyorContext(SurveyorSocket socket, Surveyor.SurveyContext survey) : base(socket, survey, s_options) => _survey = survey;

    /// <summary>
    /// How long this context accepts answers to a survey (NNG_OPT_SURVEYOR_SURVEYTIME); starts as the socket's
    /// <see cref="SurveyorSocket.SurveyTime"/> and changing it leaves the socket and other contexts alone.
    /// <see cref="Timeout.InfiniteTimeSpan"/> never expires. Takes effect from the next survey.
    /// </summary>
    public TimeSpan SurveyTime
    {
        get => s_surveyTime.Get(this);
        set => s_surveyTime.Set(this, value);
    }
}
