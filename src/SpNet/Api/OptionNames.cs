namespace SpNet;

/// <summary>
/// NNG's option names (<c>NNG_OPT_*</c>), as accepted by <see cref="MessagePort.SetOption(string, object)"/> and
/// <see cref="MessagePort.GetOption(string)"/> (and, for the timeouts and the REQ, SURVEYOR and SUB context options, by
/// <see cref="MessagePort.SetOption(string, object)"/>). Each maps to a typed property, named in its summary: both
/// go through the socket type's one option table, so they check and store alike.
/// </summary>
public static class OptionNames
{
    /// <summary><c>recv-timeout</c> (NNG_OPT_RECVTIMEO) → <see cref="MessagePort.ReceiveTimeout"/>. Duration.</summary>
    public const string ReceiveTimeout = "recv-timeout";

    /// <summary><c>send-timeout</c> (NNG_OPT_SENDTIMEO) → <see cref="MessagePort.SendTimeout"/>. Duration.</summary>
    public const string SendTimeout = "send-timeout";

    /// <summary><c>recv-buffer</c> (NNG_OPT_RECVBUF) → <see cref="Socket.ReceiveBufferSize"/>. Messages, 0–8192.</summary>
    public const string ReceiveBuffer = "recv-buffer";

    /// <summary><c>send-buffer</c> (NNG_OPT_SENDBUF) → <see cref="Socket.SendBufferSize"/>. Messages, 1–8192.</summary>
    public const string SendBuffer = "send-buffer";

    /// <summary><c>recv-size-max</c> (NNG_OPT_RECVMAXSZ) → <see cref="Socket.MaxReceiveSize"/>. Bytes, 0 = no limit.</summary>
    public const string ReceiveSizeMax = "recv-size-max";

    /// <summary><c>reconnect-time-min</c> (NNG_OPT_RECONNMINT) → <see cref="Socket.ReconnectMinTime"/>. Duration.</summary>
    public const string ReconnectTimeMin = "reconnect-time-min";

    /// <summary><c>reconnect-time-max</c> (NNG_OPT_RECONNMAXT) → <see cref="Socket.ReconnectMaxTime"/>. Duration.</summary>
    public const string ReconnectTimeMax = "reconnect-time-max";

    /// <summary>
    /// <c>tcp-keepalive</c> (NNG_OPT_TCP_KEEPALIVE) → <see cref="TcpOptions.KeepAlive"/> of <see cref="Socket.Tcp"/>.
    /// Boolean; for dialers and listeners made afterwards. Its tuning (<see cref="TcpOptions.KeepAliveTime"/>,
    /// <see cref="TcpOptions.UserTimeout"/>, …) has no NNG name and is set through <see cref="Socket.Tcp"/>.
    /// </summary>
    public const string TcpKeepAlive = "tcp-keepalive";

    /// <summary>
    /// <c>tcp-nodelay</c> (NNG_OPT_TCP_NODELAY) → <see cref="TcpOptions.NoDelay"/> of <see cref="Socket.Tcp"/>. Boolean,
    /// default true; for dialers and listeners made afterwards.
    /// </summary>
    public const string TcpNoDelay = "tcp-nodelay";

    /// <summary><c>req:resend-time</c> (NNG_OPT_REQ_RESENDTIME) → <see cref="ReqSocket.ResendTime"/>. Duration; REQ only.</summary>
    public const string ReqResendTime = "req:resend-time";

    /// <summary><c>sub:subscribe</c> (NNG_OPT_SUB_SUBSCRIBE) → <see cref="SubSocket.Subscribe(ReadOnlySpan{byte})"/>. Bytes or text; write-only.</summary>
    public const string SubSubscribe = "sub:subscribe";

    /// <summary><c>sub:unsubscribe</c> (NNG_OPT_SUB_UNSUBSCRIBE) → <see cref="SubSocket.Unsubscribe(ReadOnlySpan{byte})"/>. Bytes or text; write-only.</summary>
    public const string SubUnsubscribe = "sub:unsubscribe";

    /// <summary><c>sub:prefnew</c> (NNG_OPT_SUB_PREFNEW) → <see cref="SubSocket.PreferNew"/>. Boolean.</summary>
    public const string SubPreferNew = "sub:prefnew";

    /// <summary><c>surveyor:survey-time</c> (NNG_OPT_SURVEYOR_SURVEYTIME) → <see cref="SurveyorSocket.SurveyTime"/>. Duration; SURVEYOR only.</summary>
    public const string SurveyorSurveyTime = "surveyor:survey-time";

    /// <summary><c>ttl-max</c> (NNG_OPT_MAXTTL) → <c>MaxTtl</c> of REQ, REP, SURVEYOR, RESPONDENT, PAIR1 (1–15) and STAR (1–255). Integer.</summary>
    public const string MaxTtl = "ttl-max";

    /// <summary><c>pair1:polyamorous</c> (NNG_OPT_PAIR1_POLY) → <see cref="Pair1Socket.IsPolyamorous"/>. Boolean, read-only.</summary>
    public const string Pair1Polyamorous = "pair1:polyamorous";

    /// <summary><c>protocol</c> (NNG_OPT_PROTO) → <see cref="Socket.ProtocolId"/>. Integer, read-only.</summary>
    public const string Protocol = "protocol";

    /// <summary><c>peer</c> (NNG_OPT_PEER) → <see cref="Socket.PeerId"/>. Integer, read-only.</summary>
    public const string Peer = "peer";

    /// <summary><c>protocol-name</c> (NNG_OPT_PROTONAME) → <see cref="Socket.ProtocolName"/>. Text, read-only.</summary>
    public const string ProtocolName = "protocol-name";

    /// <summary><c>peer-name</c> (NNG_OPT_PEERNAME) → <see cref="Socket.PeerName"/>. Text, read-only.</summary>
    public const string PeerName = "peer-name";

    /// <summary><c>raw</c> (NNG_OPT_RAW) → <see cref="Socket.IsRaw"/>. Boolean, read-only.</summary>
    public const string Raw = "raw";
}
