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
    private readonly RegistryDialer _dial;
    private readonly SocketLoop _loop;
    private long _answered;

    public SurveyLink(string surveyUrl, byte[] answer, TimeSpan reconnectMaxTime, TimeSpan silenceTimeout, TlsOptions? tls, ILogger? logger)
    {
        _url = surveyUrl;
        _answer = answer;
        _socket.Logger = logger;
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _socket.Tls = tls;
        // Wakes the loop once per silence timeout without a survey, to check whether the connection has gone silent.
        _socket.ReceiveTimeout = silenceTimeout;
        _dial = new RegistryDialer(_socket, surveyUrl, silenceTimeout, logger, LogSilent);
        _loop = new SocketLoop(_socket, AnswerAsync);
    }

    public bool IsConnected => _dial.IsConnected;

    public long Answered => Volatile.Read(ref _answered);

    public long SilentRedials => _dial.SilentRedials;

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
                if (_dial.IsSilent(lastSurvey))
                {
                    await _dial.RedialAsync().ConfigureAwait(false);
                    lastSurvey = Stopwatch.GetTimestamp();
                }
            }
            catch (SpNetException)
            {
                // The survey's pipe went away before we answered: wait for the next survey.
            }
        }
    }

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "discovery registry {SurveyUrl}: no survey for {Seconds} s on an open connection; closing it and dialing again")]
    private static partial void LogSilent(ILogger logger, string surveyUrl, double seconds);
}
