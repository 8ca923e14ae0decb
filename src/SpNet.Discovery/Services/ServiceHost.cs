using System.Collections.Concurrent;

namespace SpNet.Discovery;

/// <summary>
/// A member of a service, Iris-style: it listens for requests (REP, one context per concurrent handler), gathers
/// (RESPONDENT), broadcasts (SUB) and tunnels (polyamorous PAIR1), announces all four addresses in one registration
/// with every registry, and runs the handlers set with <see cref="OnRequest"/>, <see cref="OnBroadcast"/> and
/// <see cref="OnTunnel"/>, at most <see cref="ServiceHostOptions.MaxConcurrency"/> at once. Work arriving before its
/// handler is set waits. A handler that throws does not stop the host: the caller gets an error reply, the failure is
/// logged and counted in <see cref="Statistics"/>. Thread-safe.
/// </summary>
/// <example><code>
/// await using var host = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "echo", Registries = [registry] });
/// host.OnRequest((request, ct) => ValueTask.FromResult(Message.Create(request.Body)));
/// </code></example>
public sealed class ServiceHost : IAsyncDisposable
{
    /// <summary>How long DisposeAsync waits for tunnel handlers to see their token and end: Tunnel's own close wait.</summary>
    private static readonly TimeSpan s_tunnelHandlerWait = TimeSpan.FromSeconds(2);

    private readonly ServiceHostOptions _options;
    private readonly RepSocket _requests = new();
    private readonly RespondentSocket _gathers = new();
    private readonly SubSocket _broadcasts = new();
    private readonly TunnelAcceptor _tunnels;
    private readonly SemaphoreSlim _concurrency;
    private readonly CancellationTokenSource _stop = new();
    private ServiceRegistration? _registration;
    private readonly List<Task> _loops = [];
    private readonly HandlerSlot<Func<Message, CancellationToken, ValueTask<Message>>> _onRequest = new("request");
    private readonly HandlerSlot<Func<Message, CancellationToken, ValueTask>> _onBroadcast = new("broadcast");
    private readonly HandlerSlot<Func<Tunnel, CancellationToken, Task>> _onTunnel = new("tunnel");
    private readonly byte[] _requestUrlUtf8;
    private readonly ConcurrentDictionary<Task, byte> _servedTunnels = new();
    private int _disposed;

    private ServiceHost(ServiceHostOptions options)
    {
        _options = options;
        _concurrency = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        string address = options.Address ?? (options.Tls is null ? "tcp://127.0.0.1:0" : "tls+tcp://127.0.0.1:0");
        foreach (Socket socket in (Socket[])[_requests, _gathers, _broadcasts])
        {
            socket.Tls = options.Tls;
            socket.Logger = options.Logger;
            socket.Linger = TimeSpan.Zero;
        }
        _broadcasts.Subscribe(ReadOnlySpan<byte>.Empty);
        try
        {
            RequestUrl = _requests.Listen(address).Url;
            GatherUrl = _gathers.Listen(ListenAddress.Sibling(address, "gather")).Url;
            BroadcastUrl = _broadcasts.Listen(ListenAddress.Sibling(address, "broadcast")).Url;
            _tunnels = new TunnelAcceptor(ListenAddress.Sibling(address, "tunnel"), options.Tls, options.Service, options.TunnelWindow, options.TunnelMaxWindow, options.TunnelSendTimeout, Accept);
        }
        catch
        {
            _requests.Dispose();
            _gathers.Dispose();
            _broadcasts.Dispose();
            throw;
        }
        var meta = new Dictionary<string, string>(options.Meta ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [ServiceMeta.Gather] = GatherUrl,
            [ServiceMeta.Broadcast] = BroadcastUrl,
            [ServiceMeta.Tunnel] = _tunnels.Url,
            [ServiceMeta.Status] = "1",
        };
        if (options.Zone is not null)
        {
            meta["zone"] = options.Zone;
        }
        Member = new ServiceMember(options.Service, RequestUrl, meta);
        _requestUrlUtf8 = System.Text.Encoding.UTF8.GetBytes(RequestUrl);
    }

    /// <summary>The service served.</summary>
    public string Service => _options.Service;

    /// <summary>The identity announced to the registries (request address, the other addresses in <see cref="ServiceMember.Meta"/>).</summary>
    public ServiceMember Member { get; }

    /// <summary>The bound request (REP) address.</summary>
    public string RequestUrl { get; }

    /// <summary>The bound gather (RESPONDENT) address.</summary>
    public string GatherUrl { get; }

    /// <summary>The bound broadcast (SUB) address.</summary>
    public string BroadcastUrl { get; }

    /// <summary>The bound tunnel (PAIR1) address.</summary>
    public string TunnelUrl => _tunnels.Url;

    /// <summary>Requests, gathers, broadcasts, tunnels and handler failures so far.</summary>
    public ServiceHostStatistics Statistics { get; } = new();

    /// <summary>The registration with every registry (connection state, renewals).</summary>
    public ServiceRegistration Registration => _registration ?? throw new InvalidOperationException("not started");

    /// <summary>
    /// Binds the four listeners, starts serving and registers with every registry in <see cref="ServiceHostOptions.Registries"/>.
    /// Returns once listening; the registries list the member within about one heartbeat.
    /// </summary>
    /// <exception cref="ArgumentException">An option is missing or out of range.</exception>
    /// <exception cref="SpNetException">An address is invalid or in use, or TLS is set without a certificate.</exception>
    public static Task<ServiceHost> StartAsync(ServiceHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var host = new ServiceHost(options);
        host.Start();
        return Task.FromResult(host);
    }

    /// <summary>
    /// Sets the request handler, also used for gathers. It gets the request (owned by the host: do not keep it past the
    /// call) and returns the reply (ownership passes to the host; returning the request itself is allowed). Set once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A request handler is already set.</exception>
    public ServiceHost OnRequest(Func<Message, CancellationToken, ValueTask<Message>> handler)
    {
        _onRequest.Set(handler);
        return this;
    }

    /// <summary>Sets the broadcast handler (the message is owned by the host for the call). Set once.</summary>
    /// <exception cref="InvalidOperationException">A broadcast handler is already set.</exception>
    public ServiceHost OnBroadcast(Func<Message, CancellationToken, ValueTask> handler)
    {
        _onBroadcast.Set(handler);
        return this;
    }

    /// <summary>
    /// Sets the tunnel handler: called once per tunnel a client opens; the tunnel is disposed (completed and closed)
    /// when the handler's task ends. Tunnels run alongside, not counted against <see cref="ServiceHostOptions.MaxConcurrency"/>. Set once.
    /// </summary>
    /// <exception cref="InvalidOperationException">A tunnel handler is already set.</exception>
    public ServiceHost OnTunnel(Func<Tunnel, CancellationToken, Task> handler)
    {
        _onTunnel.Set(handler);
        return this;
    }

    /// <summary>
    /// Stops registering (the registries drop this member within their missed rounds), stops serving and closes the
    /// listeners; running handlers see their token canceled. Tunnel handlers get up to 2 s to end, and each tunnel is
    /// completed before its connection closes, so a client reads the end of the stream (null), not a lost connection.
    /// Idempotent.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (_registration is not null)
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        _requests.Close();
        _gathers.Close();
        _broadcasts.Close();
        await WaitForTunnelHandlersAsync().ConfigureAwait(false);
        await _tunnels.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        await _requests.DisposeAsync().ConfigureAwait(false);
        await _gathers.DisposeAsync().ConfigureAwait(false);
        await _broadcasts.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>
    /// Waits (bounded) for the tunnel handlers, which saw the stop token, to end and complete their tunnels. Closing the
    /// acceptor first raced those Close frames: a client then saw a lost connection instead of the end of the stream.
    /// </summary>
    private async Task WaitForTunnelHandlersAsync()
    {
        try
        {
            await Task.WhenAll(_servedTunnels.Keys).WaitAsync(s_tunnelHandlerWait).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A handler that ignores its token does not hold the shutdown: its client sees the connection lost.
        }
    }

    private void Start()
    {
        CancellationToken stop = _stop.Token;
        for (int i = 0; i < _options.MaxConcurrency; i++)
        {
            _loops.Add(Task.Run(() => ServeRepliesAsync(_requests.OpenContext(), gather: false, stop), CancellationToken.None));
        }
        // Gathers are rarer than requests: a quarter of the contexts (at least one) keeps idle contexts few.
        for (int i = 0; i < Math.Max(1, _options.MaxConcurrency / 4); i++)
        {
            _loops.Add(Task.Run(() => ServeRepliesAsync(_gathers.OpenContext(), gather: true, stop), CancellationToken.None));
        }
        _loops.Add(Task.Run(() => ServeBroadcastsAsync(stop), CancellationToken.None));
        _registration = ServiceRegistration.Start(_options.DiscoveryBackend(), Member);
    }

    private async Task ServeRepliesAsync(SocketContext context, bool gather, CancellationToken stop)
    {
        using (context)
        {
            if (await _onRequest.WaitAsync(stop).ConfigureAwait(false) is not { } handler)
            {
                return;
            }
            while (await ReceiveNextAsync(context, stop).ConfigureAwait(false) is { } request)
            {
                Message reply = await HandleAsync(handler, request, gather ? "gather" : "request", stop).ConfigureAwait(false);
                if (gather)
                {
                    reply = ServiceReply.FromMember(_requestUrlUtf8, reply);
                }
                try
                {
                    await context.SendAsync(reply, stop).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SpNetException)
                {
                    // The caller's connection went away (or we are stopping): nobody to reply to.
                    reply.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// The next message for a serve loop, or null once the host stops or the socket closes. Any other receive failure
    /// concerns that one message (a malformed request), so the loop goes on to the next.
    /// </summary>
    private static async Task<Message?> ReceiveNextAsync(MessagePort port, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                return await port.ReceiveAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is SpNetException { Error: SpError.Closed })
            {
                return null;
            }
            catch (SpNetException)
            {
                // Only that message failed; the socket still works.
            }
        }
    }

    private async Task<Message> HandleAsync(Func<Message, CancellationToken, ValueTask<Message>> handler, Message request, string kind, CancellationToken stop)
    {
        using (request)
        {
            if (kind == "gather")
            {
                Statistics.RecordGather();
            }
            else
            {
                Statistics.RecordRequest();
            }
            await _concurrency.WaitAsync(stop).ConfigureAwait(false);
            try
            {
                Message response = await handler(request, stop).ConfigureAwait(false);
                try
                {
                    return ServiceReply.Ok(response.Body);
                }
                finally
                {
                    if (!ReferenceEquals(response, request))
                    {
                        response.Dispose();
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                Failed(ex, kind);
                return ServiceReply.Error($"{ex.GetType().Name}: {ex.Message}");
            }
            finally
            {
                _concurrency.Release();
            }
        }
    }

    private async Task ServeBroadcastsAsync(CancellationToken stop)
    {
        if (await _onBroadcast.WaitAsync(stop).ConfigureAwait(false) is not { } handler)
        {
            return;
        }
        while (await ReceiveNextAsync(_broadcasts, stop).ConfigureAwait(false) is { } message)
        {
            try
            {
                await _concurrency.WaitAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                message.Dispose();
                return;
            }
            Statistics.RecordBroadcast();
            _ = Task.Run(async () =>
            {
                using (message)
                {
                    try
                    {
                        await handler(message, stop).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        Failed(ex, "broadcast");
                    }
                    finally
                    {
                        _concurrency.Release();
                    }
                }
            }, CancellationToken.None);
        }
    }

    private void Accept(Tunnel tunnel)
    {
        Statistics.RecordTunnel();
        CancellationToken stop = _stop.Token;
        Task served = Task.Run(() => ServeTunnelAsync(tunnel, stop), CancellationToken.None);
        _servedTunnels.TryAdd(served, 0);
        _ = CloseTunnelAsync(tunnel, served);
    }

    /// <summary>Runs the handler, then completes the tunnel. Never throws: a handler failure is logged and counted.</summary>
    private async Task ServeTunnelAsync(Tunnel tunnel, CancellationToken stop)
    {
        try
        {
            Func<Tunnel, CancellationToken, Task> handler = await _onTunnel.WhenSet.WaitAsync(stop).ConfigureAwait(false);
            await handler(tunnel, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The host is stopping; the tunnel is completed below.
        }
        catch (Exception ex)
        {
            Failed(ex, "tunnel");
        }
        await tunnel.CompleteAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task CloseTunnelAsync(Tunnel tunnel, Task served)
    {
        await served.ConfigureAwait(false);
        _servedTunnels.TryRemove(served, out _);
        await tunnel.DisposeAsync().ConfigureAwait(false);
    }

    private void Failed(Exception exception, string kind)
    {
        Statistics.RecordHandlerError();
        if (_options.Logger is { } logger)
        {
            ServiceLog.HandlerFailed(logger, exception, Service, kind);
        }
    }
}
