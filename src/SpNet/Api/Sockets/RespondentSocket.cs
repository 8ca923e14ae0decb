using SpNet.Options;
using SpNet.Protocols;
using SpNet.Protocols.Raw;

namespace SpNet;

/// <summary>
/// RESPONDENT (0x63): receives surveys from SURVEYOR peers and answers each, as REP answers requests: the answer
/// carries the survey's backtrace and goes back only to the connection the survey came on (discarded if it is
/// gone). Sending without a survey fails with <see cref="SpError.IncorrectState"/>. Answering late is harmless: the
/// surveyor drops answers after its deadline.
/// </summary>
public sealed class RespondentSocket : Socket
{
    private static readonly Option<RespondentSocket, int> s_maxTtl = MaxTtlOption<RespondentSocket>(OptionKind.Ttl);

    /// <summary>RESPONDENT's options (NNG's respondent0 and xrespondent0): the common ones and the hop limit.</summary>
    private static readonly OptionTable<RespondentSocket> s_options = CommonOptions.With(s_maxTtl);

    /// <summary>Creates an unconnected RESPONDENT socket.</summary>
    public RespondentSocket() : this(raw: false)
    {
    }

    // The REP state machine under RESPONDENT's protocol id: answering a survey is answering a request.
    private RespondentSocket(bool raw) : base(statistics => raw
        ? new XRep(ProtocolIds.Respondent, statistics, DefaultReceiveBufferSize)
        : new Rep(ProtocolIds.Respondent, statistics, DefaultReceiveBufferSize), s_options)
    {
    }

    /// <summary>Creates a raw RESPONDENT socket (device mode), with the header rules of <see cref="RepSocket.CreateRaw"/>.</summary>
    public static RespondentSocket CreateRaw() => new(raw: true);

    /// <summary>Most routing hops a survey may carry (NNG_OPT_MAXTTL, 1–15, default 8); surveys over it are dropped.</summary>
    public int MaxTtl
    {
        get => s_maxTtl.Get(this);
        set => s_maxTtl.Set(this, value);
    }

    /// <summary>Opens an independent context: it receives a survey and answers it with its own saved backtrace.</summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> on a raw socket; <see cref="SpError.Closed"/>.</exception>
    public RespondentContext OpenContext() => new(this, OpenContextCore());
}
