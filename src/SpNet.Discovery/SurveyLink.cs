using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// A member's link to one SP registry: a RESPONDENT dialing the registry's survey address and answering each survey
/// with the member's JSON. A registry surveys every interval, so a connection that brings no survey for the silence
/// timeout is not trusted: the link closes it and dials again. That is what brings a member back after its registry
/// came back on a connection the member still believes open: a registry host that restarted, or a registry killed
/// while the member's host was cut off, whose closing segments were lost. The member never sends unasked, so nothing
/// else would ever tell it, and it would stay unlisted by that registry for good. The dialer redials quickly (100 ms
/// growing to the given bound), so answering resumes soon after a registry restart.
/// </summary>
internal sealed partial class SurveyLink : IAsyncDisposable
{
    private readonly RespondentSocket _socket = new();
    private readonly string _url;
    private readonly byte[] _answer;
    private readonly TimeSpan _silenceTimeout;
    private readonly ILogger? _logger;
    private readonly SocketLoop _loop;
    private Dialer _dialer;
    private long _connectedAt;
    private long _answered;
    private long _silentRedials;

    public SurveyLink(string surveyUrl, byte[] answer, TimeSpan reconnectMaxTime, TimeSpan silenceTimeout, TlsOptions? tls, ILogger? logger)
    {
        _url = surveyUrl;
        _answer = answer;
        _silenceTimeout = silenceTimeout;
        _logger = logger;
        _socket.Logger = logger;
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _socket.Tls = tls;
        // Wakes the loop once per silence timeout without a survey, to check whether the connection has gone silent.
        _socket.ReceiveTimeout = silenceTimeout;
        _socket.PipeAdded += (_, _) => Volatile.Write(ref _connectedAt, Stopwatch.GetTimestamp());
        try
        {
            _dialer = _socket.Dial(surveyUrl);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _loop = new SocketLoop(_socket, AnswerAsync);
    }

    public bool IsConnected => Volatile.Read(ref _dialer).IsConnected;

    public long Answered => Volatile.Read(ref _answered);

    public long SilentRedials => Volatile.Read(ref _silentRedials);

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    private async Task AnswerAsync(CancellationToken stop)
    {
        long lastSurvey = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using (await _socket.ReceiveAsync(stop).ConfigureAwait(false))
                {
                }
                lastSurvey = Stopwatch.GetTimestamp();
                await _socket.SendAsync(_answer, stop).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException ex) when (ex.Error == SpError.TimedOut)
            {
                if (IsSilent(lastSurvey))
                {
                    await RedialAsync().ConfigureAwait(false);
                    lastSurvey = Stopwatch.GetTimestamp();
                }
            }
            catch (SpNetException)
            {
                // The survey's pipe went away before we answered: wait for the next survey.
            }
        }
    }

    /// <summary>
    /// True when the current connection has lasted the whole silence timeout and no survey came in that time (a
    /// connection made since the last survey gets its own full timeout before it is judged).
    /// </summary>
    private bool IsSilent(long lastSurvey)
    {
        if (!IsConnected)
        {
            return false; // the dialer is redialing anyway
        }
        long since = Math.Max(lastSurvey, Volatile.Read(ref _connectedAt));
        return Stopwatch.GetElapsedTime(since) >= _silenceTimeout;
    }

    private async Task RedialAsync()
    {
        Interlocked.Increment(ref _silentRedials);
        if (_logger is not null)
        {
            LogSilent(_logger, _url, _silenceTimeout.TotalSeconds);
        }
        Dialer silent = _dialer;
        await silent.DisposeAsync().ConfigureAwait(false);
        try
        {
            Volatile.Write(ref _dialer, _socket.Dial(_url));
        }
        catch (SpNetException ex) when (ex.Error == SpError.Closed)
        {
            // Disposed meanwhile; the loop ends at its next receive.
        }
    }

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "discovery registry {SurveyUrl}: no survey for {Seconds} s on an open connection; closing it and dialing again")]
    private static partial void LogSilent(ILogger logger, string surveyUrl, double seconds);
}
