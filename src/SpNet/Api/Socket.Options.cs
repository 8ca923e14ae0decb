using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

// The options every socket has, as one table (NNG's socket-level options) over the timeouts every port has. The typed
// properties and SetOption/GetOption both go through its entries; a protocol's socket adds its own with CommonOptions.With.
public abstract partial class Socket
{
    private static readonly Option<Socket, TimeSpan> s_reconnectMinTime = new(OptionNames.ReconnectTimeMin, OptionKind.PositiveDuration,
        s => s._reconnectMinTime, (s, v) => s._reconnectMinTime = v);

    private static readonly Option<Socket, TimeSpan> s_reconnectMaxTime = new(OptionNames.ReconnectTimeMax, OptionKind.NonNegativeDuration,
        s => s._reconnectMaxTime, (s, v) => s._reconnectMaxTime = v);

    private static readonly Option<Socket, int> s_receiveBuffer = new(OptionNames.ReceiveBuffer, OptionKind.Int32(0, 8192),
        s => Volatile.Read(ref s._receiveBufferSize),
        (s, v) =>
        {
            Volatile.Write(ref s._receiveBufferSize, v);
            s.Protocol.SetReceiveBufferSize(v);
        });

    private static readonly Option<Socket, int> s_sendBuffer = new(OptionNames.SendBuffer, OptionKind.Int32(1, 8192),
        s => s._sendBufferSize, (s, v) => s._sendBufferSize = v);

    private static readonly Option<Socket, long> s_receiveSizeMax = new(OptionNames.ReceiveSizeMax, OptionKind.Int64(0),
        s => s._maxReceiveSize, (s, v) => s._maxReceiveSize = v);

    private int _receiveBufferSize = DefaultReceiveBufferSize;

    /// <summary>The options every socket has (NNG's socket options); a protocol's socket type extends it with <see cref="OptionTable{TOwner}.With{TDerived}"/>.</summary>
    private protected static OptionTable<Socket> CommonOptions { get; } = PortOptions.With<Socket>(
        s_reconnectMinTime, s_reconnectMaxTime, s_receiveBuffer, s_sendBuffer, s_receiveSizeMax,
        new Option<Socket, bool>(OptionNames.TcpKeepAlive, OptionKind.Boolean, s => s.Tcp.KeepAlive, (s, v) => s.Tcp.KeepAlive = v),
        new Option<Socket, bool>(OptionNames.TcpNoDelay, OptionKind.Boolean, s => s.Tcp.NoDelay, (s, v) => s.Tcp.NoDelay = v),
        new Option<Socket, int>(OptionNames.Protocol, OptionKind.Int32(0, ushort.MaxValue), s => s.ProtocolId, null),
        new Option<Socket, int>(OptionNames.Peer, OptionKind.Int32(0, ushort.MaxValue), s => s.PeerId, null),
        new Option<Socket, string>(OptionNames.ProtocolName, OptionKind.Text, s => s.ProtocolName, null),
        new Option<Socket, string>(OptionNames.PeerName, OptionKind.Text, s => s.PeerName, null),
        new Option<Socket, bool>(OptionNames.Raw, OptionKind.Boolean, s => s.IsRaw, null));

    /// <summary>First wait before a dialer redials (NNG_OPT_RECONNMINT). Default 100 ms, as nanomsg and mangos. Applies to dialers created afterwards.</summary>
    public TimeSpan ReconnectMinTime { get => s_reconnectMinTime.Get(this); set => s_reconnectMinTime.Set(this, value); }

    /// <summary>
    /// Upper bound of the exponential redial backoff (NNG_OPT_RECONNMAXT). Zero (default) keeps every wait at
    /// <see cref="ReconnectMinTime"/>, as NNG, nanomsg and mangos do. Each wait is jittered to [½, 1] of its nominal value.
    /// </summary>
    public TimeSpan ReconnectMaxTime { get => s_reconnectMaxTime.Get(this); set => s_reconnectMaxTime.Set(this, value); }

    /// <summary>
    /// Largest message accepted from a peer, in bytes (NNG_OPT_RECVMAXSZ). Default 1 MiB; 0 = no limit. A larger length
    /// header closes the pipe before anything is allocated. Applies to tcp, ipc, tls+tcp, ws and wss; not to inproc,
    /// as in NNG (which accepts the option there and ignores it): an inproc peer is a socket of this process, whose
    /// message is already in memory and is handed over without a copy, so there is no allocation to guard against.
    /// </summary>
    public long MaxReceiveSize { get => s_receiveSizeMax.Get(this); set => s_receiveSizeMax.Set(this, value); }

    /// <summary>Messages each pipe's send queue holds (NNG_OPT_SENDBUF, per pipe; 1–8192). Default 128. Applies to pipes made afterwards.</summary>
    public int SendBufferSize { get => s_sendBuffer.Get(this); set => s_sendBuffer.Set(this, value); }

    /// <summary>
    /// Messages the socket's receive queue holds (NNG_OPT_RECVBUF, 0–8192, default 128). Takes effect at once, also
    /// on a connected socket: shrinking keeps what is already queued. 0 asks for the smallest queue, which SpNet keeps
    /// at one message. When the queue is full, pipes wait (PULL, PAIR, BUS, STAR, REP, RESPONDENT, and raw REQ and
    /// SURVEYOR) or a message is dropped, counted: SUB (each context's queue, see <see cref="SubSocket.PreferNew"/>) and
    /// SURVEYOR (answers each context keeps per survey; an open context takes a new size at its next survey).
    /// Protocols without a receive queue accept and ignore it: PUB, PUSH, and cooked REQ, whose contexts each hold
    /// only the one reply to their one outstanding request.
    /// </summary>
    public int ReceiveBufferSize { get => s_receiveBuffer.Get(this); set => s_receiveBuffer.Set(this, value); }

    /// <summary>
    /// NNG_OPT_MAXTTL (<c>ttl-max</c>) for a socket type whose protocols, cooked and raw, are all hop-limited (REQ, REP,
    /// SURVEYOR, RESPONDENT, PAIR1, STAR): only those types put it in their table.
    /// </summary>
    private protected static Option<TSocket, int> MaxTtlOption<TSocket>(OptionKind<int> kind)
        where TSocket : Socket =>
        new(OptionNames.MaxTtl, kind, s => ((IHopLimited)s.Protocol).MaxTtl, (s, v) => ((IHopLimited)s.Protocol).MaxTtl = v);

    /// <summary>The protocol as the cooked type an option needs; <see cref="SpError.NotSupported"/> on a raw socket.</summary>
    private protected T CookedProtocol<T>()
        where T : class =>
        Protocol as T ?? throw new SpNetException(SpError.NotSupported, $"raw {ProtocolName.ToUpperInvariant()} sockets do not have this option");

    private protected override string OptionOwner => $"{ProtocolName}{(IsRaw ? " (raw)" : "")} sockets";
}
