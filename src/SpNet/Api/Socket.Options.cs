using SpNet.Options;
using SpNet.Protocols;

namespace SpNet;

// The options every socket has, as one table (NNG's socket-level options). The typed properties and
// SetOption/GetOption both go through its entries; a protocol's socket adds its own entries with CommonOptions.With.
public abstract partial class Socket
{
    private static readonly Option<Socket, TimeSpan> s_receiveTimeout = new(OptionNames.ReceiveTimeout, OptionKind.Timeout,
        s => s._io.ReceiveTimeout, (s, v) => s._io.ReceiveTimeout = v);

    private static readonly Option<Socket, TimeSpan> s_sendTimeout = new(OptionNames.SendTimeout, OptionKind.Timeout,
        s => s._io.SendTimeout, (s, v) => s._io.SendTimeout = v);

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
    private protected static OptionTable<Socket> CommonOptions { get; } = new(
    [
        s_receiveTimeout, s_sendTimeout, s_reconnectMinTime, s_reconnectMaxTime, s_receiveBuffer, s_sendBuffer, s_receiveSizeMax,
        new Option<Socket, bool>(OptionNames.TcpKeepAlive, OptionKind.Boolean, s => s.Tcp.KeepAlive, (s, v) => s.Tcp.KeepAlive = v),
        new Option<Socket, bool>(OptionNames.TcpNoDelay, OptionKind.Boolean, s => s.Tcp.NoDelay, (s, v) => s.Tcp.NoDelay = v),
        new Option<Socket, int>(OptionNames.Protocol, OptionKind.Int32(0, ushort.MaxValue), s => s.ProtocolId, null),
        new Option<Socket, int>(OptionNames.Peer, OptionKind.Int32(0, ushort.MaxValue), s => s.PeerId, null),
        new Option<Socket, string>(OptionNames.ProtocolName, OptionKind.Text, s => s.ProtocolName, null),
        new Option<Socket, string>(OptionNames.PeerName, OptionKind.Text, s => s.PeerName, null),
        new Option<Socket, bool>(OptionNames.Raw, OptionKind.Boolean, s => s.IsRaw, null),
    ]);

    /// <summary>How long a send may wait for room (NNG_OPT_SENDTIMEO). <see cref="Timeout.InfiniteTimeSpan"/> (default) waits forever;
    /// on expiry a send throws <see cref="SpNetException"/> with <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan SendTimeout { get => s_sendTimeout.Get(this); set => s_sendTimeout.Set(this, value); }

    /// <summary>How long a receive may wait (NNG_OPT_RECVTIMEO). Default infinite; on expiry <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan ReceiveTimeout { get => s_receiveTimeout.Get(this); set => s_receiveTimeout.Set(this, value); }

    /// <summary>First wait before a dialer redials (NNG_OPT_RECONNMINT). Default 100 ms, as nanomsg and mangos. Applies to dialers created afterwards.</summary>
    public TimeSpan ReconnectMinTime { get => s_reconnectMinTime.Get(this); set => s_reconnectMinTime.Set(this, value); }

    /// <summary>
    /// Upper bound of the exponential redial backoff (NNG_OPT_RECONNMAXT). Zero (default) keeps every wait at
    /// <see cref="ReconnectMinTime"/>, as NNG, nanomsg and mangos do. Each wait is jittered to [½, 1] of its nominal value.
    /// </summary>
    public TimeSpan ReconnectMaxTime { get => s_reconnectMaxTime.Get(this); set => s_reconnectMaxTime.Set(this, value); }

    /// <summary>Largest message accepted from a peer, in bytes (NNG_OPT_RECVMAXSZ). Default 1 MiB; 0 = no limit. A larger length header closes the pipe before anything is allocated.</summary>
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
    /// Sets an option by its NNG name (see <see cref="OptionNames"/>), for tools that pass names through. Durations
    /// take a <see cref="TimeSpan"/> or whole milliseconds as an <see cref="int"/> (NNG's unit, -1 = infinite); sizes an
    /// <see cref="int"/> (or <see cref="long"/>); <c>sub:subscribe</c> bytes or UTF-8 text. Goes through the same checks
    /// as the typed property the name maps to.
    /// </summary>
    /// <exception cref="SpNetException">
    /// <see cref="SpError.NotSupported"/> for a name this socket does not know (the message names it);
    /// <see cref="SpError.BadType"/> for a value of the wrong type; <see cref="SpError.InvalidArgument"/> for one out of
    /// range; <see cref="SpError.ReadOnly"/> for a read-only option such as <c>protocol</c>.
    /// </exception>
    public void SetOption(string name, object value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!_options.TrySet(this, name, value))
        {
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
        return _options.TryGet(this, name, out object value) ? value : throw UnknownOption(name);
    }

    /// <summary>NNG_OPT_MAXTTL (<c>ttl-max</c>) on the hop-limited protocol a socket type holds, cooked or raw.</summary>
    private protected static Option<TSocket, int> MaxTtlOption<TSocket>(Func<TSocket, IHopLimited> hops, OptionKind<int> kind) =>
        new(OptionNames.MaxTtl, kind, s => hops(s).MaxTtl, (s, v) => hops(s).MaxTtl = v);

    private SpNetException UnknownOption(string name) =>
        new(SpError.NotSupported, $"option '{name}' is not supported by {ProtocolName}{(IsRaw ? " (raw)" : "")} sockets");
}
