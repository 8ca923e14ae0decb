using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// The dial of a <see cref="SurveyLink"/> or <see cref="RegistryFollower"/> to one registry address, replaced when the
/// registry goes silent on it: a registry sends on every connection at a known pace (surveys, snapshots), so a
/// connection that brought nothing for the silence timeout leads nowhere (the registry came back on a connection this
/// side still believes open) and is closed and dialed again.
/// </summary>
internal sealed class RegistryDialer
{
    private readonly Socket _socket;
    private readonly string _url;
    private readonly TimeSpan _silenceTimeout;
    private readonly ILogger? _logger;
    private readonly Action<ILogger, string, double> _logSilent;
    private Dialer _dialer;
    private long _connectedAt;
    private long _silentRedials;

    /// <summary>
    /// Dials <paramref name="url"/> on <paramref name="socket"/> (disposing the socket if that fails at once);
    /// <paramref name="logSilent"/> (the link's own message: what it missed) logs each silent connection it closes.
    /// </summary>
    public RegistryDialer(Socket socket, string url, TimeSpan silenceTimeout, ILogger? logger, Action<ILogger, string, double> logSilent)
    {
        _socket = socket;
        _url = url;
        _silenceTimeout = silenceTimeout;
        _logger = logger;
        _logSilent = logSilent;
        socket.PipeAdded += (_, _) => Volatile.Write(ref _connectedAt, Stopwatch.GetTimestamp());
        try
        {
            _dialer = socket.Dial(url);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>True while the current dial has a connection.</summary>
    public bool IsConnected => Volatile.Read(ref _dialer).IsConnected;

    /// <summary>Connections closed because the registry went silent on them (for tests and diagnostics).</summary>
    public long SilentRedials => Volatile.Read(ref _silentRedials);

    /// <summary>
    /// True when the current connection has lasted the whole silence timeout and nothing came in that time
    /// (<paramref name="lastHeard"/>, a <see cref="Stopwatch"/> timestamp): a connection made since gets its own full
    /// timeout before it is judged, and one being redialed anyway is not judged at all.
    /// </summary>
    public bool IsSilent(long lastHeard)
    {
        if (!IsConnected)
        {
            return false;
        }
        long since = Math.Max(lastHeard, Volatile.Read(ref _connectedAt));
        return Stopwatch.GetElapsedTime(since) >= _silenceTimeout;
    }

    /// <summary>Closes the silent connection and dials again.</summary>
    public async Task RedialAsync()
    {
        Interlocked.Increment(ref _silentRedials);
        if (_logger is not null)
        {
            _logSilent(_logger, _url, _silenceTimeout.TotalSeconds);
        }
        Dialer silent = _dialer;
        await silent.DisposeAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _dialer, _socket.Dial(_url));
        }
        catch (SpNetException ex) when (ex.Error == SpError.Closed)
        {
            // Disposed meanwhile; the link's loop ends at its next receive.
        }
    }
}
