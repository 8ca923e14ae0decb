using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// A client's view of one SP registry: a SUB socket dialed to its publish address that hands every snapshot to the
/// observer, and reports the registry lost when its connection drops or it stays silent for the silence timeout.
/// A connection silent that long is also closed and dialed again: a registry that came back (restarted, or its host
/// rebooted) while this client's connection to the old one was cut off publishes on new connections only, and a
/// subscriber never sends, so nothing else would tell the client that its connection leads nowhere.
/// Its receive limit admits any snapshot a registry with default caps can publish
/// (<see cref="DiscoveryFormat.MaxSnapshotSize"/>), so no legal snapshot can blind a client.
/// </summary>
internal sealed partial class RegistryFollower : IAsyncDisposable
{
    private readonly SubSocket _socket = new();
    private readonly IDiscoveryObserver _observer;
    private readonly string _url;
    private readonly RegistryDialer _dial;
    private readonly SocketLoop _loop;

    public RegistryFollower(string publishUrl, IDiscoveryObserver observer, TimeSpan reconnectMaxTime, TimeSpan silenceTimeout, TlsOptions? tls, Microsoft.Extensions.Logging.ILogger? logger)
    {
        _socket.Logger = logger;
        _url = publishUrl;
        _observer = observer;
        _socket.Subscribe(ReadOnlySpan<byte>.Empty);
        _socket.MaxReceiveSize = DiscoveryFormat.MaxSnapshotSize(RegistryOptions.DefaultMaxMembers);
        _socket.ReceiveTimeout = silenceTimeout;
        // Snapshots are complete, so a slow client needs only the newest: two queued (oldest dropped) bound its memory
        // to two snapshots however far behind it falls.
        _socket.ReceiveBufferSize = 2;
        _socket.PreferNew = true;
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _socket.Tls = tls;
        _socket.PipeRemoved += (_, _) => _observer.OnSourceLost(_url);
        _dial = new RegistryDialer(_socket, publishUrl, silenceTimeout, logger, LogSilent);
        _loop = new SocketLoop(_socket, ReceiveAsync);
    }

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    /// <summary>Connections closed because the registry went silent on them (for tests and diagnostics).</summary>
    public long SilentRedials => _dial.SilentRedials;

    private async Task ReceiveAsync(CancellationToken stop)
    {
        long lastSnapshot = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            ServiceSnapshot? snapshot;
            try
            {
                using Message message = await _socket.ReceiveAsync(stop).ConfigureAwait(false);
                lastSnapshot = Stopwatch.GetTimestamp();
                snapshot = DiscoveryFormat.DecodeSnapshot(message.Body);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
            {
                _observer.OnSourceLost(_url);
                if (_dial.IsSilent(lastSnapshot))
                {
                    await _dial.RedialAsync().ConfigureAwait(false);
                    lastSnapshot = Stopwatch.GetTimestamp();
                }
                continue;
            }
            catch (SpNetException)
            {
                continue;
            }
            if (snapshot is null)
            {
                _observer.OnMalformed(_url);
                continue;
            }
            _observer.OnSnapshot(_url, snapshot);
        }
    }

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "discovery registry {PublishUrl}: no snapshot for {Seconds} s on an open connection; closing it and dialing again")]
    private static partial void LogSilent(Microsoft.Extensions.Logging.ILogger logger, string publishUrl, double seconds);
}
