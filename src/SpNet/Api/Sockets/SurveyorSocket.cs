using SpNet.Options;
using SpNet.Protocols;
using SpNet.Protocols.Raw;

namespace SpNet;

/// <summary>
/// SURVEYOR (0x62): sends a survey to every connected RESPONDENT and receives their answers until
/// <see cref="SurveyTime"/> has passed. A receive waiting at the deadline fails with <see cref="SpError.TimedOut"/>;
/// one started after it (or before any survey) with <see cref="SpError.IncorrectState"/>, as NNG. A new survey
/// cancels the old one: its answers are dropped. A peer whose send queue is full misses the survey (best effort).
/// </summary>
public sealed class SurveyorSocket : Socket
{
    private static readonly Option<SurveyorSocket, TimeSpan> s_surveyTime = new(OptionNames.SurveyorSurveyTime, OptionKind.PositiveOrInfinite,
        s => s.CookedProtocol<Surveyor>().SurveyTime, (s, v) => s.CookedProtocol<Surveyor>().SurveyTime = v);

    private static readonly Option<SurveyorSocket, int> s_maxTtl = MaxTtlOption<SurveyorSocket>(OptionKind.Ttl);

    /// <summary>SURVEYOR's options (NNG's surveyor0 and xsurveyor0 in one): the common ones, survey time and hop limit.</summary>
    private static readonly OptionTable<SurveyorSocket> s_options = CommonOptions.With(s_maxTtl, s_surveyTime);

    /// <summary>Creates an unconnected SURVEYOR socket.</summary>
    public SurveyorSocket() : this(raw: false)
    {
    }

    private SurveyorSocket(bool raw) : base(statistics => raw
        ? new XSurveyor(statistics, DefaultReceiveBufferSize)
        : new Surveyor(statistics, DefaultReceiveBufferSize), s_options)
    {
    }

    /// <summary>
    /// Creates a raw SURVEYOR socket (device mode): no ids, no deadline; what you send goes to every peer as header
    /// plus body, and an answer's routing tags (up to the bit-31 id) are its <see cref="Message.Header"/>.
    /// </summary>
    public static SurveyorSocket CreateRaw() => new(raw: true);

    /// <summary>
    /// How long answers to a survey are accepted (NNG_OPT_SURVEYOR_SURVEYTIME). Default 1 s, as NNG, nanomsg and
    /// mangos; <see cref="Timeout.InfiniteTimeSpan"/> never expires. Takes effect from the next survey; new contexts
    /// start with this value.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket.</exception>
    public TimeSpan SurveyTime
    {
        get => s_surveyTime.Get(this);
        set => s_surveyTime.Set(this, value);
    }

    /// <summary>Most routing hops an answer may carry (NNG_OPT_MAXTTL, 1–15, default 8).</summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }

    /// <summary>Opens an independent survey context (own survey id, deadline and answers) sharing this socket's connections.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket; <see cref="SpError.Closed"/>.</exception>
    public SurveyorContext OpenContext() => new(this, (Surveyor.SurveyContext)OpenContextCore());

}
