using Microsoft.Extensions.Logging;
using SpNet.Core;
using SpNet.Internal;
using SpNet.Options;
using SpNet.Protocols;
using SpNet.Transports;

namespace SpNet;

/// <summary>
/// An SP socket: one pattern (PAIR, PUSH, PULL, PUB, SUB, REQ, REP…) over any number of dialers and listeners.
/// Create one of the derived types (<see cref="PairSocket"/>, <see cref="ReqSocket"/>, …).
/// </summary>
/// <remarks>
/// <para>Thread-safe: every member may be called from any thread at once.</para>
/// <para>Delivery is best effort, as in every SP implementation: at most once, ordered per pipe, whole messages
/// only. Nothing is retried except REQ's documented resend.</para>
/// </remarks>
public abstract partial class Socket : MessagePort, IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private readonly List<Dialer> _dialers = [];
    private readonly List<Listener> _listeners = [];
    private readonly HashSet<Pipe> _pipes = [];
    private readonly PipeHost _host;
    private TcpOptions _tcp = new();
    private TimeSpan _reconnectMinTime = TimeSpan.FromMilliseconds(100);
    private TimeSpan _reconnectMaxTime = TimeSpan.Zero;
    private TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(10);
    private TimeSpan _linger = TimeSpan.FromSeconds(1);
    private long _maxReceiveSize = 1024 * 1024;
    private int _sendBufferSize = 128;
    private int _closed;

    /// <summary>Messages each socket's receive queue holds (NNG_OPT_RECVBUF default).</summary>
    private protected const int DefaultReceiveBufferSize = 128;

    /// <param name="protocol">Makes the protocol, cooked or raw, over the counters the socket reports.</param>
    /// <param name="options">The socket type's option table; null for the common options only.</param>
    private protected Socket(Func<SocketStatistics, IProtocol> protocol, IOptionTable? options = null)
        : this(new SocketStatistics(), protocol, options)
    {
    }

    private Socket(SocketStatistics statistics, Func<SocketStatistics, IProtocol> create, IOptionTable? options)
        : this(create(statistics), statistics, options)
    {
    }

    private Socket(IProtocol protocol, SocketStatistics statistics, IOptionTable? options)
        : base(protocol, options ?? CommonOptions)
    {
        Protocol = protocol;
        Statistics = statistics;
        _host = new PipeHost(this);
        SpNetMetrics.Register(statistics, protocol.Info.SelfName);
    }

    private protected IProtocol Protocol { get; }

    /// <summary>This socket's protocol id as on the wire (e.g. 0x30 for REQ).</summary>
    public ushort ProtocolId => Protocol.Info.SelfId;

    /// <summary>This socket's protocol name (e.g. <c>req</c>).</summary>
    public string ProtocolName => Protocol.Info.SelfName;

    /// <summary>The protocol id a peer must announce (e.g. 0x31 for REQ's REP peer).</summary>
    public ushort PeerId => Protocol.Info.PeerId;

    /// <summary>The peer protocol's name (e.g. <c>rep</c>).</summary>
    public string PeerName => Protocol.Info.PeerName;

    /// <summary>True for a raw (device-mode) socket: protocol headers pass through <see cref="Message.Header"/>, no protocol state.</summary>
    public bool IsRaw => Protocol.IsRaw;

    /// <summary>Counters for traffic, pipes and drops.</summary>
    public SocketStatistics Statistics { get; }

    /// <summary>Where to log pipe failures and reconnects. <see langword="null"/> (the default) logs nothing.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Raised after a pipe (one connection to one peer) is accepted by the protocol. Runs on an I/O thread: keep handlers short.</summary>
    public event EventHandler<PipeEventArgs>? PipeAdded;

    /// <summary>Raised after a pipe closes. Runs on an I/O thread: keep handlers short.</summary>
    public event EventHandler<PipeEventArgs>? PipeRemoved;

    /// <summary>How long a new connection may take to send its SP header. Default 10 s, as NNG.</summary>
    public TimeSpan HandshakeTimeout { get => _handshakeTimeout; set => _handshakeTimeout = CheckPositive(value); }

    /// <summary>
    /// TLS settings for <c>tls+tcp://</c> (and <c>wss://</c>) dialers and listeners made afterwards; null (the default) means
    /// a dialer verifies the server against the system trust store and a listener cannot start (it needs a certificate).
    /// </summary>
    public TlsOptions? Tls { get; set; }

    /// <summary>
    /// TCP settings (keepalive, user timeout, no-delay) for the TCP connections of <c>tcp://</c>, <c>tls+tcp://</c>,
    /// <c>ws://</c> and <c>wss://</c> dialers and listeners made afterwards, which take a copy; beside <see cref="Tls"/>.
    /// The default sets keepalive off and no-delay on, as NNG.
    /// </summary>
    public TcpOptions Tcp { get => Volatile.Read(ref _tcp); set => Volatile.Write(ref _tcp, value ?? throw new ArgumentNullException(nameof(value))); }

    /// <summary>
    /// Unix file mode for the socket file of <c>ipc://</c> listeners made afterwards (e.g. <c>0o600</c>), applied right after
    /// binding; null (the default) leaves the mode the process umask gives. Ignored for <c>abstract://</c>.
    /// </summary>
    public UnixFileMode? IpcPermissions { get; set; }

    /// <summary>On dispose, how long to let queued messages drain before closing pipes. Default 1 s; zero drops them at once.</summary>
    public TimeSpan Linger { get => _linger; set => _linger = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value)); }

    /// <summary>The dialers of this socket.</summary>
    public IReadOnlyList<Dialer> Dialers { get { lock (_gate) { return [.. _dialers]; } } }

    /// <summary>The listeners of this socket.</summary>
    public IReadOnlyList<Listener> Listeners { get { lock (_gate) { return [.. _listeners]; } } }

    /// <summary>True after <see cref="Close"/> or dispose.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Starts dialing <paramref name="url"/> in the background and returns at once; the dialer reconnects with
    /// backoff whenever its connection fails or closes (nng_dial with NNG_FLAG_NONBLOCK).
    /// </summary>
    /// <exception cref="SpNetException">The URL is invalid or its transport unknown.</exception>
    public Dialer Dial(string url)
    {
        Dialer dialer = CreateDialer(url);
        dialer.Start();
        return dialer;
    }

    /// <summary>
    /// Dials <paramref name="url"/> and completes when the first connection is established (nng_dial without flags);
    /// throws if that first attempt fails. Afterwards the dialer reconnects in the background as <see cref="Dial"/> does.
    /// </summary>
    /// <exception cref="SpNetException">The first attempt failed (e.g. <see cref="SpError.ConnectionRefused"/>); the message names the URL.</exception>
    public async ValueTask<Dialer> DialAsync(string url, CancellationToken cancellationToken = default)
    {
        Dialer dialer = CreateDialer(url);
        try
        {
            await dialer.StartAndWaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dialer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return dialer;
    }

    /// <summary>Binds <paramref name="url"/> and starts accepting. Port 0 picks a free port: read it back from <see cref="Listener.Url"/>.</summary>
    /// <exception cref="SpNetException">The address is invalid or in use (<see cref="SpError.AddressInUse"/>).</exception>
    public Listener Listen(string url)
    {
        ThrowIfClosed();
        SpUrl parsed = SpUrl.Parse(url);
        ITransportListener transportListener = TransportRegistry.Find(parsed).CreateListener(parsed, CaptureSettings());
        transportListener.Bind();
        var listener = new Listener(this, transportListener, _host);
        lock (_gate)
        {
            if (IsClosed)
            {
                transportListener.Dispose();
                ThrowHelper.ThrowClosed("socket");
            }
            _listeners.Add(listener);
        }
        listener.Start();
        return listener;
    }

    /// <summary>Closes the socket at once: endpoints stop, pipes close, waiting operations fail with <see cref="SpError.Closed"/>. Idempotent.</summary>
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        foreach (var endpoint in TakeEndpoints())
        {
            endpoint.Close();
        }
        Protocol.Close();
        foreach (Pipe pipe in SnapshotPipes())
        {
            pipe.Close();
        }
        ReleasePipeWaiters();
        RetireWhenQuiet();
    }

    /// <summary>
    /// Stops the endpoints, lets queued messages drain for up to <see cref="Linger"/>, closes every pipe and waits
    /// for all background work to end.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            ReleasePipeWaiters();
            // Drain the pipes before closing the endpoints: closing a dialer closes its pipe at once, which would
            // drop whatever that pipe still had queued. New pipes are refused meanwhile (the socket is closed).
            var endpoints = TakeEndpoints();
            Pipe[] pipes = SnapshotPipes();
            await Task.WhenAll(pipes.Select(p => p.CloseGracefullyAsync(_linger))).ConfigureAwait(false);
            foreach (var endpoint in endpoints)
            {
                endpoint.Close();
            }
            Protocol.Close();
            foreach (var endpoint in endpoints)
            {
                await endpoint.DisposeAsync().ConfigureAwait(false);
            }
            await Task.WhenAny(Task.WhenAll(pipes.Select(p => p.Completion)), Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
            RetireWhenQuiet();
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>Same as <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public override string ToString() => $"{ProtocolName} socket";

    internal TransportSettings CaptureSettings() => new()
    {
        SelfProtocol = ProtocolId,
        SelfName = ProtocolName,
        PeerProtocol = PeerId,
        PeerName = PeerName,
        HandshakeTimeout = _handshakeTimeout,
        MaxReceiveSize = _maxReceiveSize,
        SendQueueCapacity = _sendBufferSize,
        Tls = Tls,
        IpcPermissions = IpcPermissions,
        Tcp = Tcp.Clone(),
    };

    internal void ForgetEndpoint(IEndpoint endpoint)
    {
        lock (_gate)
        {
            if (endpoint is Dialer d)
            {
                _dialers.Remove(d);
            }
            else if (endpoint is Listener l)
            {
                _listeners.Remove(l);
            }
        }
    }

    /// <summary>Opens the protocol's side of a context (the socket wraps it in its typed context); raw sockets and other protocols have none (NotSupported).</summary>
    private protected IProtocolContext OpenContextCore()
    {
        ThrowIfClosed();
        if (Protocol is not IContextProtocol protocol)
        {
            throw new SpNetException(SpError.NotSupported, IsRaw ? "raw sockets have no contexts" : $"{ProtocolName} sockets have no contexts");
        }
        return protocol.OpenContext();
    }

    /// <inheritdoc />
    private protected override void ThrowIfClosed()
    {
        if (IsClosed)
        {
            ThrowHelper.ThrowClosed("socket");
        }
    }

    private Dialer CreateDialer(string url)
    {
        ThrowIfClosed();
        SpUrl parsed = SpUrl.Parse(url);
        ITransportDialer transportDialer = TransportRegistry.Find(parsed).CreateDialer(parsed, CaptureSettings());
        var dialer = new Dialer(this, url, transportDialer, _host, _reconnectMinTime, _reconnectMaxTime);
        lock (_gate)
        {
            if (IsClosed)
            {
                ThrowHelper.ThrowClosed("socket");
            }
            _dialers.Add(dialer);
        }
        return dialer;
    }

    private List<IEndpoint> TakeEndpoints()
    {
        lock (_gate)
        {
            List<IEndpoint> all = [.. _dialers, .. _listeners];
            _dialers.Clear();
            _listeners.Clear();
            return all;
        }
    }

    /// <summary>
    /// Folds the counters into the metric totals once the socket is closed and its last pipe is forgotten. A pipe
    /// that was already closing on another thread when <see cref="Close"/> ran is forgotten (and counted) later;
    /// retiring at once would lose that count, so the last <see cref="PipeHost.OnClosed"/> retires instead.
    /// </summary>
    private void RetireWhenQuiet()
    {
        lock (_gate)
        {
            if (!IsClosed || _pipes.Count != 0)
            {
                return;
            }
        }
        SpNetMetrics.Retire(Statistics);
    }

    /// <summary>The pipes open now (also how tests reach a pipe's <see cref="Pipe.TcpSocket"/>).</summary>
    internal Pipe[] SnapshotPipes()
    {
        lock (_gate)
        {
            return [.. _pipes];
        }
    }

    private static TimeSpan CheckPositive(TimeSpan value) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "must be positive");
}
