using SpNet.Core;
using SpNet.Internal;
using SpNet.Transports;

namespace SpNet;

/// <summary>
/// Keeps one connection to a remote address: connects, and whenever the connection fails or closes, waits a
/// jittered, growing backoff (<see cref="ReconnectMinTime"/> to <see cref="ReconnectMaxTime"/>) and connects again.
/// A dialer holds at most one pipe at a time. Created by <see cref="Socket.Dial"/> or <see cref="Socket.DialAsync"/>.
/// </summary>
public sealed class Dialer : IEndpoint
{
    private readonly Socket _socket;
    private readonly ITransportDialer _transport;
    private readonly Socket.PipeHost _host;
    private readonly EndpointLoop _loop;
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Pipe? _pipe;

    internal Dialer(Socket socket, string url, ITransportDialer transport, Socket.PipeHost host, TimeSpan reconnectMin, TimeSpan reconnectMax)
    {
        _socket = socket;
        _transport = transport;
        _host = host;
        _loop = new EndpointLoop(OnStopped);
        Url = url;
        ReconnectMinTime = reconnectMin;
        ReconnectMaxTime = reconnectMax;
        // Observe a failed first attempt even when nobody waits for it (background Dial): an unobserved faulted
        // task would otherwise surface in TaskScheduler.UnobservedTaskException.
        _ = _firstAttempt.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The address dialed.</summary>
    public string Url { get; }

    /// <summary>First redial wait, copied from the socket when the dialer was made.</summary>
    public TimeSpan ReconnectMinTime { get; }

    /// <summary>Largest redial wait (zero = no growth), copied from the socket when the dialer was made.</summary>
    public TimeSpan ReconnectMaxTime { get; }

    /// <summary>True while a connection is established.</summary>
    public bool IsConnected => _pipe is { IsClosed: false };

    /// <summary>Connections established so far (the first one plus every reconnect).</summary>
    public int ConnectionCount { get; private set; }

    /// <summary>The error of the most recent failed attempt, if any.</summary>
    public SpNetException? LastError { get; private set; }

    /// <summary>Stops dialing and closes the current connection. Idempotent.</summary>
    public void Close() => _loop.Stop();

    /// <summary>Closes the dialer and waits for its background loop to end.</summary>
    public ValueTask DisposeAsync() => _loop.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"dialer {Url}";

    internal void Start() => _loop.Start(RunAsync);

    private void OnStopped()
    {
        _pipe?.Close();
        _firstAttempt.TrySetException(new SpNetException(SpError.Closed, $"{Url}: dialer closed"));
        _socket.ForgetEndpoint(this);
    }

    internal async Task StartAndWaitAsync(CancellationToken cancellationToken)
    {
        Start();
        await _firstAttempt.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var backoff = new Backoff(ReconnectMinTime, ReconnectMaxTime);
        var failureLog = new DialFailureLog();
        CancellationToken stop = _loop.Token;
        while (!stop.IsCancellationRequested)
        {
            Pipe? pipe = null;
            _host.Statistics.RecordConnectAttempt();
            try
            {
                pipe = await _transport.ConnectAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                SpNetException error = ex as SpNetException ?? new SpNetException(SpError.ConnectionAborted, $"{Url}: {ex.Message}", ex);
                LastError = error;
                _host.Statistics.RecordConnectFailure();
                if (error.Error is SpError.Protocol or SpError.TimedOut or SpError.ConnectionShutdown or SpError.PeerAuth or SpError.Crypto)
                {
                    _host.Statistics.RecordHandshakeFailure();
                }
                failureLog.Failed(_host.Logger, Url, error.Message);
                _firstAttempt.TrySetException(error);
            }

            if (pipe is not null)
            {
                if (_loop.IsStopped)
                {
                    pipe.Close();
                    return;
                }
                if (_host.Attach(pipe, this))
                {
                    _pipe = pipe;
                    ConnectionCount++;
                    backoff.Reset();
                    failureLog.Connected(_host.Logger, Url);
                    _firstAttempt.TrySetResult();
                    await pipe.Completion.ConfigureAwait(false);
                    _pipe = null;
                    if (_host.Logger is not null && !stop.IsCancellationRequested)
                    {
                        Log.PipeLost(_host.Logger, Url, pipe.CloseDetail ?? "closed");
                    }
                }
                else
                {
                    var error = new SpNetException(pipe.CloseReason == SpError.None ? SpError.Protocol : pipe.CloseReason, $"{Url}: {pipe.CloseDetail}");
                    LastError = error;
                    _firstAttempt.TrySetException(error);
                }
            }

            try
            {
                await Task.Delay(backoff.Next(), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
