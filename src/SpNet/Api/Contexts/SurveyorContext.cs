using SpNet.Protocols;

namespace SpNet;

/// <summary>
/// A SURVEYOR context (from <see cref="SurveyorSocket.OpenContext"/>): its own survey id, deadline and answers,
/// sharing the socket's connections. A new survey on it cancels its previous one only.
/// </summary>
public sealed class SurveyorContext : SocketContext
{
    private readonly Surveyor.SurveyContext _survey;

    internal SurveyorContext(SurveyorSocket socket, Surveyor.SurveyContext survey) : base(socket, survey) => _survey = survey;

    /// <summary>
    /// How long this context accepts answers to a survey (NNG_OPT_SURVEYOR_SURVEYTIME); starts as the socket's
    /// <see cref="SurveyorSocket.SurveyTime"/> and changing it leaves the socket and other contexts alone.
    /// <see cref="Timeout.InfiniteTimeSpan"/> never expires. Takes effect from the next survey.
    /// </summary>
    public TimeSpan SurveyTime
    {
        get => _survey.SurveyTime;
        set => _survey.SurveyTime = value;
    }
}
