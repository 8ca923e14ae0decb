namespace SpNet.Discovery;

/// <summary>
/// The window one end of a <see cref="Tunnel"/> grants its peer, and its auto-tuning. Credit is granted as the
/// application reads (half a window at a time), so the peer never has more than the window unread here. The window
/// doubles, up to the maximum, when it is what limits the flow: the peer reported that it ran out of credit (a Blocked
/// frame naming the credit total it stopped at) and this end's application had already read everything up to that
/// point. Both ends then sit idle for a credit round trip, so a window does not cover one round trip's worth of
/// messages (QUIC receivers double theirs when a whole window is used within a round trip, gRPC when a bandwidth-delay
/// sample nears the window; the peer's report replaces their clocks here). A reader that falls behind never sees the
/// stall point with nothing unread, and one that stops reading grants nothing, so neither grows the window. One
/// doubling per round trip at most: reports sent before the peer saw the last growth are ignored.
/// Thread-safe: data arrives on the receive loop while the application reads on its own threads.
/// </summary>
internal sealed class TunnelReceiveWindow
{
    private readonly Lock _growing = new();
    private long _granted;
    private long _received;
    private long _read;
    private long _peerBlockedAt = -1;
    private long _growthEpoch;
    private int _window;
    private int _batch;
    private int _readSinceGrant;
    private int _growths;

    /// <param name="window">The window granted at the start (the Open frame's or the host's first grant).</param>
    /// <param name="maxWindow">How far it may grow; at or below <paramref name="window"/> it does not grow.</param>
    public TunnelReceiveWindow(int window, int maxWindow)
    {
        _window = window;
        _granted = window;
        _batch = BatchOf(window);
        Max = Math.Max(window, maxWindow);
    }

    /// <summary>The window now: at most this many messages may be unread here.</summary>
    public int Current => Volatile.Read(ref _window);

    /// <summary>How far the window may grow.</summary>
    public int Max { get; }

    /// <summary>How many times the window has doubled.</summary>
    public int Growths => Volatile.Read(ref _growths);

    /// <summary>Messages received and not yet read.</summary>
    public long Unread => Volatile.Read(ref _received) - Volatile.Read(ref _read);

    /// <summary>Counts a data frame; false when the peer sent beyond the credit granted so far.</summary>
    public bool TryReceive() => Interlocked.Increment(ref _received) <= Volatile.Read(ref _granted);

    /// <summary>
    /// Counts a message the application read and returns the credit to grant now (0: none yet). Whatever is returned is
    /// already counted as granted, so a data frame using it is never taken for a violation.
    /// </summary>
    public int OnRead()
    {
        long read = Interlocked.Increment(ref _read);
        int grant = 0;
        if (Interlocked.Increment(ref _readSinceGrant) >= Volatile.Read(ref _batch))
        {
            grant = Interlocked.Exchange(ref _readSinceGrant, 0);
            Interlocked.Add(ref _granted, grant);
        }
        // Interlocked above fences this read against OnPeerBlocked's store: one of the two sees the other.
        if (read == Volatile.Read(ref _peerBlockedAt))
        {
            grant += TryGrow();
        }
        return grant;
    }

    /// <summary>The peer ran out of credit at <paramref name="limit"/> (its credit total); returns extra credit to grant now, if the window grew.</summary>
    public int OnPeerBlocked(long limit)
    {
        Interlocked.Exchange(ref _peerBlockedAt, limit);
        return Volatile.Read(ref _read) == limit ? TryGrow() : 0;
    }

    private int TryGrow()
    {
        lock (_growing)
        {
            long at = _peerBlockedAt;
            // Everything the peer could send has arrived and been read: the peer waits for credit with a reader idle here.
            if (at < _growthEpoch || Volatile.Read(ref _read) != at || Volatile.Read(ref _received) != at || _window >= Max)
            {
                return 0;
            }
            int grown = Math.Min(_window * 2, Max);
            int extra = grown - _window;
            Volatile.Write(ref _window, grown);
            Volatile.Write(ref _batch, BatchOf(grown));
            _peerBlockedAt = -1;
            // A report below this total was sent before the peer had the extra credit: it says nothing about the new window.
            _growthEpoch = Interlocked.Add(ref _granted, extra);
            Interlocked.Increment(ref _growths);
            return extra;
        }
    }

    /// <summary>
    /// Granting in batches of half a window keeps the sender busy while the grant travels (one credit frame per 64
    /// messages at the default window) without a frame per message.
    /// </summary>
    private static int BatchOf(int window) => Math.Max(1, window / 2);
}
