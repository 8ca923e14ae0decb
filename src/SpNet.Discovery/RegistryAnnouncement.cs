namespace SpNet.Discovery;

/// <summary>
/// A member's answers to the SP registries: one RESPONDENT dialing every survey address and answering each survey
/// with the member's JSON. RESPONDENT routes each answer back over the pipe its survey came in on, so one socket
/// serves any number of registries. The dialers redial quickly (100 ms growing to the given bound), so answering
/// resumes soon after a registry restart.
/// </summary>
internal sealed class RegistryAnnouncement : IDiscoveryAnnouncement
{
    private readonly RespondentSocket _socket = new();
    private readonly byte[] _answer;
    private readonly List<Dialer> _dialers = [];
    private readonly SocketLoop _loop;
    private long _answered;

    public RegistryAnnouncement(IReadOnlyList<string> surveyUrls, ServiceMember member, TimeSpan reconnectMaxTime, TlsOptions? tls, Microsoft.Extensions.Logging.ILogger? logger)
    {
        _socket.Logger = logger;
        _answer = DiscoveryFormat.EncodeAnnouncement(member);
        _socket.ReconnectMinTime = TimeSpan.FromMilliseconds(100);
        _socket.ReconnectMaxTime = reconnectMaxTime;
        _socket.Linger = TimeSpan.Zero;
        _socket.Tls = tls;
        try
        {
            foreach (string url in surveyUrls)
            {
                _dialers.Add(_socket.Dial(url));
            }
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _loop = new SocketLoop(_socket, AnswerAsync);
    }

    public bool IsConnected => _dialers.Exists(d => d.IsConnected);

    public long Renewals => Volatile.Read(ref _answered);

    public ValueTask DisposeAsync() => _loop.DisposeAsync();

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
