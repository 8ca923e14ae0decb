using System.Threading.Channels;

namespace SpNet.Transports.Ws;

/// <summary>
/// What one ws:// listener serves on a shared port: a path (normalized, see <see cref="WsHandshake.NormalizePath"/>)
/// and, when its URL names one, a host. Upgrade requests that match wait in a queue for the listener to accept them.
/// </summary>
internal sealed class WsRoute(string path, string? host, TimeSpan handshakeTimeout)
{
    private readonly Channel<WsUpgrade> _queue = Channel.CreateUnbounded<WsUpgrade>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The path served, without its trailing <c>/</c>.</summary>
    public string Path { get; } = WsHandshake.NormalizePath(path);

    /// <summary>The host the <c>Host</c> field must name, or null for any.</summary>
    public string? Host { get; } = host;

    /// <summary>The listener's handshake timeout; bounds reading request heads on the shared port too.</summary>
    public TimeSpan HandshakeTimeout { get; } = handshakeTimeout;

    /// <summary>Queues a matching request; false once the listener has closed (the caller still owns it).</summary>
    public bool Offer(WsUpgrade upgrade) => _queue.Writer.TryWrite(upgrade);

    /// <summary>The next matching request.</summary>
    public ValueTask<WsUpgrade> TakeAsync(CancellationToken cancellationToken) => _queue.Reader.ReadAsync(cancellationToken);

    /// <summary>Stops queuing and closes requests nobody took.</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out WsUpgrade? left))
        {
            left.Stream.Dispose();
        }
    }
}
