using SpNet.Core;

namespace SpNet.Transports;

/// <summary>A URL scheme and the means to dial and listen on it. Transports know nothing of SP patterns.</summary>
internal interface ITransport
{
    /// <summary>The schemes this transport serves, e.g. <c>tcp</c>, <c>tcp4</c>.</summary>
    IReadOnlyList<string> Schemes { get; }

    /// <summary>Validates the URL and returns a dialer; does not connect yet.</summary>
    ITransportDialer CreateDialer(SpUrl url, TransportSettings settings);

    /// <summary>Validates the URL and returns a listener; does not bind yet.</summary>
    ITransportListener CreateListener(SpUrl url, TransportSettings settings);
}

/// <summary>Makes one connection at a time to a fixed address.</summary>
internal interface ITransportDialer
{
    /// <summary>Connects and completes the SP handshake. Throws <see cref="SpNetException"/> naming the URL and cause.</summary>
    ValueTask<Pipe> ConnectAsync(CancellationToken cancellationToken);
}

/// <summary>Accepts connections on a bound address.</summary>
internal interface ITransportListener : IDisposable
{
    /// <summary>The bound address, with the real port when 0 was asked for.</summary>
    string Url { get; }

    /// <summary>Binds; throws <see cref="SpNetException"/> (AddressInUse, AddressInvalid, …).</summary>
    void Bind();

    /// <summary>Waits for the next raw connection. The SP handshake is done separately so a slow peer never stalls accepting.</summary>
    ValueTask<IPendingPipe> AcceptAsync(CancellationToken cancellationToken);
}

/// <summary>An accepted connection that has not yet completed the SP handshake.</summary>
internal interface IPendingPipe
{
    /// <summary>The remote address, for logs.</summary>
    string RemoteAddress { get; }

    /// <summary>Completes the handshake and returns the pipe; on failure the connection is closed and the exception says why.</summary>
    ValueTask<Pipe> NegotiateAsync(CancellationToken cancellationToken);
}

/// <summary>The socket settings a transport needs, captured when a dialer or listener is made.</summary>
internal sealed class TransportSettings
{
    /// <summary>Our protocol id, sent in the handshake.</summary>
    public required ushort SelfProtocol { get; init; }

    /// <summary>Our protocol name (e.g. <c>req</c>): the WebSocket listener expects <c>&lt;SelfName&gt;.sp.nanomsg.org</c>.</summary>
    public required string SelfName { get; init; }

    /// <summary>The id a peer must announce; transports without an SP header (ws) assume it for their pipes.</summary>
    public required ushort PeerProtocol { get; init; }

    /// <summary>The peer's protocol name (e.g. <c>rep</c>): the WebSocket dialer asks for <c>&lt;PeerName&gt;.sp.nanomsg.org</c>.</summary>
    public required string PeerName { get; init; }

    /// <summary>How long the peer may take to send its SP header.</summary>
    public required TimeSpan HandshakeTimeout { get; init; }

    /// <summary>Largest message accepted, in bytes; 0 = unlimited.</summary>
    public required long MaxReceiveSize { get; init; }

    /// <summary>Capacity of each pipe's send queue, in messages.</summary>
    public required int SendQueueCapacity { get; init; }

    /// <summary>TLS settings for tls+tcp and wss; null when none were set on the socket.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Unix file mode for an ipc listener's socket file; null leaves it as created.</summary>
    public UnixFileMode? IpcPermissions { get; init; }

    /// <summary>The socket's TCP settings (a copy) for the connections of tcp, tls+tcp, ws and wss; applied by those transports.</summary>
    public TcpOptions Tcp { get; init; } = new();
}
