using System.Threading.Channels;

namespace SpNet.Discovery;

/// <summary>
/// An ordered, flow-controlled stream of messages both ways between a client and one member of a service
/// (<see cref="ServiceClient.OpenTunnelAsync"/> on one end, <see cref="ServiceHost.OnTunnel"/> on the other), on a
/// connection of its own. Flow control is credit based: each end grants the other a window of messages
/// (<see cref="DefaultWindow"/> unless set) and grants more as its application reads, so a sender whose window is used
/// up waits in <see cref="SendAsync"/> (bounded by <see cref="SendTimeout"/> and its token) instead of filling buffers
/// or stalling TCP. The window grows by doubling, up to <see cref="MaxWindow"/>, while it is what limits the flow (the
/// sender ran out of credit and this end's application had read everything the sender could send).
/// <see cref="CompleteAsync"/> ends this side's stream (the peer's <see cref="ReceiveAsync"/> returns null after the
/// last message); the connection closes once both sides have completed. When the connection is lost (the peer died),
/// pending and later calls fail at once with <see cref="SpError.ConnectionReset"/>.
/// Thread-safe; messages sent concurrently are ordered as the sends enter.
/// </summary>
public sealed class Tunnel : IAsyncDisposable
{
    /// <summary>The default window: 128 messages (NNG's default queue depth).</summary>
    public const int DefaultWindow = 128;

    /// <summary>
    /// The default largest window a window may grow to: 2,048 messages (at most 2 MiB of 1 KiB messages unread per
    /// tunnel end). Measured: the smallest maximum at which a 1 KiB stream between two processes on a loaded 2-core
    /// machine keeps half of raw PAIR1's rate (docs/services.md).
    /// </summary>
    public const int DefaultMaxWindow = 2048;

    /// <summary>The largest window (and largest maximum) allowed: 4,096 messages.</summary>
    private const int LargestWindow = 4096;

    /// <summary>How long <see cref="DisposeAsync"/> waits for the peer to complete before closing anyway.</summary>
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(2);

    private readonly ITunnelLink _link;
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly SemaphoreSlim _credit = new(0, int.MaxValue);
    private readonly CancellationTokenSource _broken = new();
    private readonly TaskCompletionSource _peerCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TunnelReceiveWindow _receiveWindow;
    private long _creditTotal;
    private long _reportedBlockedAt;
    private int _completed;
    private int _disposed;
    private SpNetException? _failure;

    internal Tunnel(ITunnelLink link, string service, string peer, int window, int maxWindow, TimeSpan sendTimeout)
    {
        _link = link;
        Service = service;
        Peer = peer;
        _receiveWindow = new TunnelReceiveWindow(window, maxWindow);
        SendTimeout = sendTimeout;
    }

    /// <summary>The service this tunnel reaches (client side) or serves (host side).</summary>
    public string Service { get; }

    /// <summary>The other end: the member's tunnel address on the client side, the client's remote address on the host side.</summary>
    public string Peer { get; }

    /// <summary>
    /// The window this end grants the peer now: how many messages it may send before this side reads. Starts at the
    /// configured window and doubles, up to <see cref="MaxWindow"/>, while it limits the flow; it never shrinks.
    /// </summary>
    public int Window => _receiveWindow.Current;

    /// <summary>How far <see cref="Window"/> may grow: the configured maximum, or the window itself when that is larger (no growth).</summary>
    public int MaxWindow => _receiveWindow.Max;

    /// <summary>
    /// Messages the peer has sent that this side has not read yet: never more than <see cref="Window"/> from a peer
    /// that keeps to its credit.
    /// </summary>
    public long Unread => _receiveWindow.Unread;

    /// <summary>How long <see cref="SendAsync"/> waits for credit before failing with <see cref="SpError.TimedOut"/>.</summary>
    public TimeSpan SendTimeout { get; set; }

    /// <summary>True once the peer has completed its side (its last message may still be unread).</summary>
    public bool IsPeerCompleted => _peerCompleted.Task.IsCompleted && _failure is null;

    /// <summary>
    /// Sends one message, waiting for credit when the peer's window is used up.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.TimedOut"/> when no credit came within <see cref="SendTimeout"/>
    /// (the peer stopped reading); <see cref="SpError.ConnectionReset"/> when the connection was lost;
    /// <see cref="SpError.IncorrectState"/> after <see cref="CompleteAsync"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        if (Volatile.Read(ref _completed) != 0)
        {
            throw new SpNetException(SpError.IncorrectState, $"{this}: this side has completed; no more sends");
        }
        if (!_credit.Wait(0, CancellationToken.None))
        {
            await ReportBlockedAsync(cancellationToken).ConfigureAwait(false);
            await WaitForCreditAsync(cancellationToken).ConfigureAwait(false);
        }
        await SendFrameAsync(TunnelFrame.CreateData(body.Span), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Receives the next message in order, or null once the peer has completed and every message has been read.
    /// Reading grants the peer more credit.
    /// </summary>
    /// <exception cref="SpNetException"><see cref="SpError.ConnectionReset"/> when the connection was lost before the peer completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async ValueTask<byte[]?> ReceiveAsync(CancellationToken cancellationToken = default)
    {
        byte[]? body;
        while (!_incoming.Reader.TryRead(out body))
        {
            bool more;
            try
            {
                more = await _incoming.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && Volatile.Read(ref _failure) is { } failure)
            {
                throw new SpNetException(failure.Error, failure.Message, failure);
            }
            if (!more)
            {
                return null;
            }
        }
        if (_receiveWindow.OnRead() is int grant and > 0)
        {
            // Not the read's token: a grant dropped on cancellation would shrink the peer's window for good.
            await TrySendControlAsync(TunnelFrame.CreateGrant(TunnelFrame.Credit, grant), cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
        return body;
    }

    /// <summary>Ends this side's stream: the peer reads what was sent, then null. Receiving continues until the peer completes. Idempotent.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return;
        }
        if (Volatile.Read(ref _failure) is null)
        {
            await TrySendControlAsync(TunnelFrame.CreateClose(), bounded: true, CancellationToken.None).ConfigureAwait(false);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Completes this side (if not yet), waits briefly for the peer to complete, then closes the connection. Unread
    /// messages are discarded. Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await CompleteAsync().ConfigureAwait(false);
        try
        {
            await _peerCompleted.Task.WaitAsync(s_closeWait, _broken.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // The peer did not complete in time or the connection is gone: close anyway.
        }
        await _link.DisposeAsync().ConfigureAwait(false);
        Fail(new SpNetException(SpError.Closed, $"{this} is closed"));
    }

    /// <inheritdoc />
    public override string ToString() => $"tunnel of service '{Service}' with {Peer}";

    internal static void CheckWindow(int window, string name)
    {
        if (window is < 1 or > LargestWindow)
        {
            throw new ArgumentOutOfRangeException(name, window, "a tunnel window is 1 to 4096 messages");
        }
    }

    /// <summary>Completes when the peer has granted its first credit (the tunnel is accepted).</summary>
    internal Task Accepted => _granted.Task;

    /// <summary>Handles one frame from the peer, in arrival order.</summary>
    internal void Deliver(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            Fail(new SpNetException(SpError.Protocol, $"{this}: empty frame"));
            return;
        }
        switch (frame[0])
        {
            case TunnelFrame.Data:
                if (!_receiveWindow.TryReceive())
                {
                    Fail(new SpNetException(SpError.Protocol, $"{this}: the peer sent beyond the {Window}-message window"));
                    return;
                }
                _incoming.Writer.TryWrite(frame[1..].ToArray());
                break;
            case TunnelFrame.Open or TunnelFrame.Credit when TunnelFrame.ReadGrant(frame) is int grant and > 0:
                // Counted before the release: a sender that then runs out reports a total that includes this grant.
                Interlocked.Add(ref _creditTotal, grant);
                _credit.Release(grant);
                _granted.TrySetResult();
                break;
            case TunnelFrame.Blocked when TunnelFrame.ReadBlocked(frame) is long limit and > 0:
                if (_receiveWindow.OnPeerBlocked(limit) is int extra and > 0)
                {
                    // Not awaited: this is the receive loop, and credit frames add up in any order.
                    _ = TrySendControlAsync(TunnelFrame.CreateGrant(TunnelFrame.Credit, extra)).AsTask();
                }
                break;
            case TunnelFrame.Close:
                _peerCompleted.TrySetResult();
                _incoming.Writer.TryComplete();
                break;
            default:
                Fail(new SpNetException(SpError.Protocol, $"{this}: malformed frame (kind {frame[0]}, {frame.Length} bytes)"));
                break;
        }
    }

    /// <summary>The connection is gone: a failure unless both sides had completed.</summary>
    internal void LinkLost(string why)
    {
        if (_peerCompleted.Task.IsCompleted && Volatile.Read(ref _completed) != 0)
        {
            return;
        }
        Fail(new SpNetException(SpError.ConnectionReset, $"{this}: {why}"));
    }

    private void Fail(SpNetException error)
    {
        if (Interlocked.CompareExchange(ref _failure, error, null) is not null)
        {
            return;
        }
        _incoming.Writer.TryComplete(error);
        _granted.TrySetException(error);
        _peerCompleted.TrySetResult();
        _broken.Cancel();
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new SpNetException(failure.Error, failure.Message, failure);
        }
    }

    /// <summary>
    /// Tells the peer, once per credit total, that this side ran out of credit there: the peer grows its window when
    /// its application had already read everything up to that point.
    /// </summary>
    private async ValueTask ReportBlockedAsync(CancellationToken cancellationToken)
    {
        long limit = Volatile.Read(ref _creditTotal);
        if (Interlocked.Exchange(ref _reportedBlockedAt, limit) != limit)
        {
            await TrySendControlAsync(TunnelFrame.CreateBlocked(limit), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask WaitForCreditAsync(CancellationToken cancellationToken)
    {
        bool granted;
        using (var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _broken.Token))
        {
            try
            {
                granted = await _credit.WaitAsync(SendTimeout, waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                ThrowIfFailed();
                throw;
            }
        }
        if (!granted)
        {
            throw new SpNetException(SpError.TimedOut, $"{this}: no credit within {SendTimeout.TotalSeconds:0.###} s (the peer is not reading)");
        }
    }

    private async ValueTask SendFrameAsync(Message frame, CancellationToken cancellationToken)
    {
        try
        {
            await _link.SendAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (SpNetException ex)
        {
            Fail(new SpNetException(SpError.ConnectionReset, $"{this}: the connection is gone ({ex.Message})", ex));
            ThrowIfFailed();
        }
    }

    /// <summary>
    /// Sends a credit, blocked or close frame; a lost connection is reported by <see cref="LinkLost"/>, not here. The
    /// close frame is bounded by the close wait: the link is a PAIR socket, whose send waits for a peer, so closing a
    /// tunnel whose peer died before its loss was noticed waited forever (a DisposeAsync hung that way under load). A
    /// credit frame is not bounded: dropping one would shrink the peer's window for good. A blocked frame is bounded by
    /// the send's token: dropping one costs at most a missed growth.
    /// </summary>
    private async ValueTask TrySendControlAsync(Message frame, bool bounded = false, CancellationToken cancellationToken = default)
    {
        using CancellationTokenSource? bound = bounded ? new CancellationTokenSource(s_closeWait) : null;
        try
        {
            await _link.SendAsync(frame, bound?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SpNetException or OperationCanceledException)
        {
            frame.Dispose();
        }
    }
}
