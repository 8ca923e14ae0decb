using SpNet.Internal;

namespace SpNet;

public abstract partial class Socket
{
    private int _receiveBufferSize = DefaultReceiveBufferSize;

    /// <summary>
    /// Messages the socket's receive queue holds (NNG_OPT_RECVBUF, 0–8192, default 128). Takes effect at once, also
    /// on a connected socket: shrinking keeps what is already queued. 0 asks for the smallest queue, which SpNet keeps
    /// at one message. When the queue is full, pipes wait (PULL, PAIR, BUS, STAR, REP, RESPONDENT, and raw REQ and
    /// SURVEYOR) or a message is dropped, counted: SUB (each context's queue, see <see cref="SubSocket.PreferNew"/>) and
    /// SURVEYOR (answers each context keeps per survey; an open context takes a new size at its next survey).
    /// Protocols without a receive queue accept and ignore it: PUB, PUSH, and cooked REQ, whose contexts each hold
    /// only the one reply to their one outstanding request.
    /// </summary>
    public int ReceiveBufferSize
    {
        get => Volatile.Read(ref _receiveBufferSize);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 8192);
            Volatile.Write(ref _receiveBufferSize, value);
            Protocol.SetReceiveBufferSize(value);
        }
    }

    /// <summary>
    /// Sets an option by its NNG name (see <see cref="OptionNames"/>), for tools that pass names through. Durations
    /// take a <see cref="TimeSpan"/> or whole milliseconds as an <see cref="int"/> (NNG's unit, -1 = infinite); sizes an
    /// <see cref="int"/> (or <see cref="long"/>); <c>sub:subscribe</c> bytes or UTF-8 text.
    /// </summary>
    /// <exception cref="SpNetException">
    /// <see cref="SpError.NotSupported"/> for a name this socket does not know (the message names it);
    /// <see cref="SpError.InvalidArgument"/> for a value of the wrong type or out of range; <see cref="SpError.ReadOnly"/>
    /// for a read-only option such as <c>protocol</c>.
    /// </exception>
    public void SetOption(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (TrySetProtocolOption(name, value))
        {
            return;
        }
        switch (name)
        {
            case OptionNames.ReceiveTimeout:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => ReceiveTimeout = v);
                break;
            case OptionNames.SendTimeout:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => SendTimeout = v);
                break;
            case OptionNames.ReconnectTimeMin:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => ReconnectMinTime = v);
                break;
            case OptionNames.ReconnectTimeMax:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => ReconnectMaxTime = v);
                break;
            case OptionNames.ReceiveBuffer:
                ReceiveBufferSize = OptionValues.ToInt32(name, value, 0, 8192);
                break;
            case OptionNames.SendBuffer:
                SendBufferSize = OptionValues.ToInt32(name, value, 1, 8192);
                break;
            case OptionNames.ReceiveSizeMax:
                MaxReceiveSize = OptionValues.ToInt64(name, value, 0);
                break;
            case OptionNames.TcpKeepAlive:
                TcpKeepAlive = OptionValues.ToBoolean(name, value);
                break;
            case OptionNames.ReqResendTime when this is ReqSocket req:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => req.ResendTime = v);
                break;
            case OptionNames.MaxTtl when this is RepSocket rep:
                rep.MaxTtl = OptionValues.ToInt32(name, value, 1, 15);
                break;
            case OptionNames.MaxTtl when this is SurveyorSocket surveyor:
                surveyor.MaxTtl = OptionValues.ToInt32(name, value, 1, 15);
                break;
            case OptionNames.MaxTtl when this is RespondentSocket respondent:
                respondent.MaxTtl = OptionValues.ToInt32(name, value, 1, 15);
                break;
            case OptionNames.SurveyorSurveyTime when this is SurveyorSocket surveyor:
                OptionValues.Apply(name, OptionValues.ToDuration(name, value), v => surveyor.SurveyTime = v);
                break;
            case OptionNames.Protocol or OptionNames.Peer or OptionNames.ProtocolName or OptionNames.PeerName or OptionNames.Raw:
                throw new SpNetException(SpError.ReadOnly, $"option '{name}' is read-only");
            default:
                throw UnknownOption(name);
        }
    }

    /// <summary>
    /// Reads an option by its NNG name (see <see cref="OptionNames"/>). Durations come back as <see cref="TimeSpan"/>,
    /// counts and ids as <see cref="int"/>, <c>recv-size-max</c> as <see cref="long"/>, names as <see cref="string"/>,
    /// flags as <see cref="bool"/>.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.NotSupported"/> for a name this socket does not know; <see cref="SpError.WriteOnly"/> for <c>sub:subscribe</c>.</exception>
    public object GetOption(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (TryGetProtocolOption(name, out object? special))
        {
            return special!;
        }
        return name switch
        {
            OptionNames.ReceiveTimeout => ReceiveTimeout,
            OptionNames.SendTimeout => SendTimeout,
            OptionNames.ReconnectTimeMin => ReconnectMinTime,
            OptionNames.ReconnectTimeMax => ReconnectMaxTime,
            OptionNames.ReceiveBuffer => ReceiveBufferSize,
            OptionNames.SendBuffer => SendBufferSize,
            OptionNames.ReceiveSizeMax => MaxReceiveSize,
            OptionNames.TcpKeepAlive => TcpKeepAlive,
            OptionNames.ReqResendTime when this is ReqSocket req => req.ResendTime,
            OptionNames.MaxTtl when this is RepSocket rep => rep.MaxTtl,
            OptionNames.MaxTtl when this is SurveyorSocket surveyor => surveyor.MaxTtl,
            OptionNames.MaxTtl when this is RespondentSocket respondent => respondent.MaxTtl,
            OptionNames.SurveyorSurveyTime when this is SurveyorSocket surveyor => surveyor.SurveyTime,
            OptionNames.Protocol => (int)ProtocolId,
            OptionNames.Peer => (int)PeerId,
            OptionNames.ProtocolName => ProtocolName,
            OptionNames.PeerName => PeerName,
            OptionNames.Raw => IsRaw,
            _ => throw UnknownOption(name),
        };
    }

    /// <summary>A derived socket's own options; return false to fall through to the common ones.</summary>
    private protected virtual bool TrySetProtocolOption(string name, object value) => false;

    /// <summary>A derived socket's own options; return false to fall through to the common ones.</summary>
    private protected virtual bool TryGetProtocolOption(string name, out object? value)
    {
        value = null;
        return false;
    }

    private SpNetException UnknownOption(string name) =>
        new(SpError.NotSupported, $"option '{name}' is not supported by {ProtocolName}{(IsRaw ? " (raw)" : "")} sockets");
}
