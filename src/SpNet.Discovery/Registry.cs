using System.Diagnostics;
using System.Text;

namespace SpNet.Discovery;

/// <summary>
/// The discovery registry: a SURVEYOR that asks every member "who is there?" each <see cref="RegistryOptions.Interval"/>,
/// and a PUB socket that publishes the member set as a versioned snapshot on every change and periodically.
/// Run it in-app (<c>await using var registry = new Registry(options); await registry.StartAsync(ct);</c>) or as a
/// light process (<c>spcat discovery serve</c>). Malformed or oversized answers are ignored and counted in
/// <see cref="Statistics"/>; nothing a member sends can stop the survey loop. Thread-safe.
/// </summary>
public sealed class Registry : IAsyncDisposable
{
    private static readonly byte[] s_surveyBody = Encoding.UTF8.GetBytes("{\"discovery\":1}");

    private const int SurveyQueue = 4096;

    private readonly RegistryOptions _options;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _deadline;
    private readonly TimeSpan _republish;
    private readonly int _missedRounds;
    private readonly int _maxAnswerSize;
    private readonly MemberTable _members;
    private readonly MemberCertificates? _certificates;
    private readonly CancellationTokenSource _stop = new();
    private readonly SurveyorSocket _surveyor = new();
    private readonly PubSocket _pub = new();
    private ServiceSnapshot _current = ServiceSnapshot.Empty;
    private long _oversizedAccepted;
    private Task _loop = Task.CompletedTask;
    private int _started;
    private int _disposed;

    /// <summary>Creates a stopped registry; <see cref="StartAsync"/> binds its addresses.</summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    public Registry(RegistryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _interval = options.Interval;
        _deadline = options.EffectiveDeadline;
        _republish = options.EffectiveRepublish;
        _missedRounds = options.MissedRounds;
        _maxAnswerSize = options.MaxAnswerSize;
        Epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Statistics = new RegistryStatistics(
            () => _surveyor.Statistics.OversizedMessages + Volatile.Read(ref _oversizedAccepted),
            () => _pub.Statistics.MessagesDropped);
        _members = new MemberTable(options, Statistics);
        _surveyor.PipeRemoved += (_, e) => _members.PipeClosed(e.PipeId);
        _certificates = options.RequireServiceCertificate ? new MemberCertificates(_surveyor, options, Statistics) : null;
        SurveyUrl = options.SurveyUrl;
        PublishUrl = options.PublishUrl;
    }

    /// <summary>The survey address; after <see cref="StartAsync"/>, the bound one (a port 0 request names the real port).</summary>
    public string SurveyUrl { get; private set; }

    /// <summary>The publish address; after <see cref="StartAsync"/>, the bound one.</summary>
    public string PublishUrl { get; private set; }

    /// <summary>This run's epoch (start time in Unix milliseconds), carried by every snapshot.</summary>
    public long Epoch { get; }

    /// <summary>The latest snapshot (epoch and version 0 before the first change).</summary>
    public ServiceSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Counters: rounds, accepted, malformed and oversized answers, snapshots published.</summary>
    public RegistryStatistics Statistics { get; }

    /// <summary>Raised on the survey loop after each change has been published. Handlers must be quick and must not throw.</summary>
    public event EventHandler<ServiceSnapshot>? Changed;

    /// <summary>Binds the survey and publish addresses and starts the survey loop. Call once.</summary>
    /// <exception cref="SpNetException">An address is invalid or in use.</exception>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the registry is already started");
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _surveyor.MaxReceiveSize = _maxAnswerSize + 64; // room for the survey id header
        _surveyor.SurveyTime = _deadline;
        // Members answer together, right after the survey: with NNG's 128 a burst of a few hundred answers overflowed
        // the queue and the dropped members counted as missed rounds. 4,096 answers of the default MaxAnswerSize (8 KiB)
        // bound the queue at 32 MiB.
        _surveyor.ReceiveBufferSize = SurveyQueue;
        _surveyor.Linger = TimeSpan.Zero;
        _pub.Linger = TimeSpan.Zero;
        _surveyor.Tls = _options.Tls;
        _surveyor.Logger = _options.Logger;
        _pub.Logger = _options.Logger;
        _pub.Tls = _options.Tls;
        // Snapshots are complete: a subscriber behind by one is only worth the newest. One queued (plus one being
        // written) bounds what a never-reading subscriber can pin to two snapshots.
        _pub.SendBufferSize = 1;
        SurveyUrl = _surveyor.Listen(_options.SurveyUrl).Url;
        PublishUrl = _pub.Listen(_options.PublishUrl).Url;
        CancellationToken stop = _stop.Token;
        _loop = Task.Run(() => RunAsync(stop), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the survey loop and closes both sockets. Members and clients keep redialing. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The expected way out.
        }
        await _surveyor.DisposeAsync().ConfigureAwait(false);
        await _pub.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_interval);
        long lastPublish = Stopwatch.GetTimestamp();
        do
        {
            bool changed;
            try
            {
                changed = await RoundAsync(stop).ConfigureAwait(false);
            }
            catch (SpNetException) when (!stop.IsCancellationRequested)
            {
                continue; // a failed survey send: try again next heartbeat
            }
            ServiceSnapshot snapshot = Current;
            // Rounds end about one interval apart, with jitter: half an interval of tolerance keeps a repeat every round
            // when RepublishInterval equals Interval.
            bool warmedUp = Statistics.Rounds >= _missedRounds || snapshot.Version > 0;
            if (changed || (warmedUp && Stopwatch.GetElapsedTime(lastPublish) >= _republish - _interval / 2))
            {
                Publish(snapshot);
                lastPublish = Stopwatch.GetTimestamp();
            }
            if (changed)
            {
                Changed?.Invoke(this, snapshot);
            }
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    private async Task<bool> RoundAsync(CancellationToken stop)
    {
        await _surveyor.SendAsync(s_surveyBody, stop).ConfigureAwait(false);
        while (true)
        {
            Message answer;
            try
            {
                answer = await _surveyor.ReceiveAsync(stop).ConfigureAwait(false);
            }
            catch (SpNetException ex) when (ex.Error is SpError.TimedOut or SpError.IncorrectState)
            {
                break; // the survey's deadline has passed
            }
            using (answer)
            {
                if (answer.BodyLength > _maxAnswerSize)
                {
                    Interlocked.Increment(ref _oversizedAccepted);
                    continue;
                }
                ServiceMember? member = DiscoveryFormat.DecodeAnnouncement(answer.Body);
                if (member is null)
                {
                    Statistics.Malformed();
                    continue;
                }
                if (DiscoveryFormat.CheckLimits(member) is not null)
                {
                    Statistics.OversizedMember();
                    continue;
                }
                if (_certificates is not null && !_certificates.Check(answer.PipeId, member))
                {
                    continue;
                }
                Statistics.Answer();
                _members.Offer(answer.PipeId, member);
            }
        }
        _certificates?.EndRound();
        Statistics.RoundDone();
        if (!_members.EndRound())
        {
            return false;
        }
        Volatile.Write(ref _current, new ServiceSnapshot(Epoch, Current.Version + 1, _members.Members));
        return true;
    }

    private void Publish(ServiceSnapshot snapshot)
    {
        if (snapshot.Epoch == 0)
        {
            snapshot = new ServiceSnapshot(Epoch, 0, []);
        }
        try
        {
            if (_pub.TrySend(DiscoveryFormat.EncodeSnapshot(snapshot)))
            {
                Statistics.Published();
            }
        }
        catch (SpNetException)
        {
            // Closed while stopping.
        }
    }
}
