namespace SpNet.Discovery;

/// <summary>
/// A member's side of discovery: a RESPONDENT that dials the registry's survey address and answers every survey with
/// this member's identity (<see cref="Member"/> as JSON). The dialer redials quickly (100 ms, growing to at most
/// <see cref="DefaultReconnectMaxTime"/>), so answering resumes soon after a registry restart. Thread-safe.
/// </summary>
public sealed class ServiceRegistration : IAsyncDisposable
{
    /// <summary>Default upper bound of the redial backoff: 500 ms.</summary>
    public static readonly TimeSpan DefaultReconnectMaxTime = TimeSpan.FromMilliseconds(500);

    private readonly RespondentSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _answer;
    private readonly Dialer _dialer;
    private readonly Task _loop;
    private long _answered;
    private int _disposed;

    private ServiceRegistration(string surveyUrl, ServiceMember member, TimeSpan reconnectMaxTime, TlsOptions? tls)
    {
        _socket.Tls = tls;
        Member = member;
        SurveyUrl = surveyUrl;
        _answer = DiscoveryFormat.EncodeAnnouncement(member);
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _dialer = _socket.Dial(surveyUrl);
        CancellationToken stop = _stop.Token;
        _loop = Task.Run(() => AnswerAsync(stop), CancellationToken.None);
    }

    /// <summary>
    /// Starts answering surveys from <paramref name="surveyUrl"/> as <paramref name="member"/>. Returns at once; the
    /// registry need not be up yet (the dialer keeps trying).
    /// </summary>
    /// <param name="surveyUrl">The registry's survey address.</param>
    /// <param name="member">This member's identity.</param>
    /// <param name="reconnectMaxTime">Largest redial wait; null means <see cref="DefaultReconnectMaxTime"/>.</param>
    /// <param name="tls">TLS for a <c>tls+tcp://</c> survey URL: the CA that issued the registry's certificate, and the
    /// member's certificate (offered as the client certificate); null for none.</param>
    /// <exception cref="SpNetException">The URL is invalid.</exception>
    public static ServiceRegistration Start(string surveyUrl, ServiceMember member, TimeSpan? reconnectMaxTime = null, TlsOptions? tls = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(surveyUrl);
        ArgumentNullException.ThrowIfNull(member);
        return new ServiceRegistration(surveyUrl, member, reconnectMaxTime ?? DefaultReconnectMaxTime, tls);
    }

    /// <summary>The identity announced.</summary>
    public ServiceMember Member { get; }

    /// <summary>The registry's survey address dialed.</summary>
    public string SurveyUrl { get; }

    /// <summary>True while connected to the registry.</summary>
    public bool IsConnected => _dialer.IsConnected;

    /// <summary>Surveys answered so far.</summary>
    public long SurveysAnswered => Volatile.Read(ref _answered);

    /// <summary>Stops answering and closes the socket; the registry drops this member after its missed rounds. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await SocketLoop.StopAsync(_stop, _socket, _loop).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AnswerAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using (await _socket.ReceiveAsync(stop).ConfigureAwait(false))
                {
                }
                await _socket.SendAsync(_answer, stop).ConfigureAwait(false);
                Interlocked.Increment(ref _answered);
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
                // The survey's pipe went away before we answered: wait for the next survey.
            }
        }
    }
}
