namespace SpNet.Cli;

// Opening the socket, applying options and starting dialers and listeners, with nngcat's error texts.
public sealed partial class CatApp
{
    private static Socket OpenSocket(CatProtocol protocol) => protocol switch
    {
        CatProtocol.Req0 => new ReqSocket(),
        CatProtocol.Rep0 => new RepSocket(),
        CatProtocol.Pub0 => new PubSocket(),
        CatProtocol.Sub0 => new SubSocket(),
        CatProtocol.Push0 => new PushSocket(),
        CatProtocol.Pull0 => new PullSocket(),
        CatProtocol.Pair0 => new PairSocket(),
        CatProtocol.Pair1 => new Pair1Socket(),
        CatProtocol.Bus0 => new BusSocket(),
        CatProtocol.Star => new StarSocket(),
        CatProtocol.Surveyor0 => new SurveyorSocket(),
        CatProtocol.Respondent0 => new RespondentSocket(),
        _ => throw new CatUsageException("Protocol handling unimplemented."),
    };

    private async Task RunSocketAsync(CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        Socket socket = OpenSocket(o.Protocol);
        try
        {
            await using (socket.ConfigureAwait(false))
            {
                ConfigureSocket(socket, o);
                if (o.PipeEvents)
                {
                    socket.PipeAdded += (_, e) => WritePipeEvent("added", e);
                    socket.PipeRemoved += (_, e) => WritePipeEvent("removed", e);
                }
                foreach (CatAddress address in o.Addresses)
                {
                    await StartEndpointAsync(socket, address, cancellationToken).ConfigureAwait(false);
                }
                await RunLoopAsync(socket, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // After the socket closed, so the counters are final; before any error line, so that stays the last line.
            if (o.Stats)
            {
                WriteStats(socket.Statistics);
            }
        }
    }

    private static void ConfigureSocket(Socket socket, CatOptions o)
    {
        if (socket is SubSocket sub)
        {
            foreach (string topic in o.Subscriptions)
            {
                sub.Subscribe(topic);
            }
        }
        if (o.SendTimeout is { } send && send > TimeSpan.Zero)
        {
            socket.SendTimeout = send;
        }
        if (o.ReceiveTimeout is { } receive && receive > TimeSpan.Zero)
        {
            socket.ReceiveTimeout = receive;
        }
        if (o.ReceiveMaxSize is { } maxSize)
        {
            socket.MaxReceiveSize = maxSize;
        }
        // The parser already held these to the ranges the socket accepts.
        socket.Tcp = o.Tcp;
        socket.Tls = TlsFrom(o);
    }

    /// <summary>The socket's TLS settings from --cert, --key, --cacert and --insecure, as nngcat configures its TLS config; null when none was given.</summary>
    private static TlsOptions? TlsFrom(CatOptions o)
    {
        if (o.CertificatePath is null && o.CaCertificatePath is null && !o.Insecure)
        {
            return null;
        }
        try
        {
            TlsOptions tls = o.CertificatePath is null ? new TlsOptions() : TlsOptions.FromPemFiles(o.CertificatePath, o.KeyPath ?? o.CertificatePath);
            if (o.CaCertificatePath is not null)
            {
                tls.AddCaPemFile(o.CaCertificatePath);
            }
            tls.InsecureSkipVerify = o.Insecure;
            return tls;
        }
        catch (SpNetException ex)
        {
            throw new CatUsageException($"Unable to configure TLS: {ex.Message}", ex);
        }
    }

    private async Task StartEndpointAsync(Socket socket, CatAddress address, CancellationToken cancellationToken)
    {
        string url = address.Url;
        string noun = address.IsListen ? "listener" : "dialer";
        if (!url.Contains("://", StringComparison.Ordinal))
        {
            throw new CatUsageException($"Unable to create {noun} for {url}: {ErrorText.Of(SpError.InvalidArgument)}");
        }
        try
        {
            if (address.IsListen)
            {
                Listener listener = socket.Listen(url);
                if (_options.Verbose)
                {
                    WriteText($"Listening at: {ListenerUrlForDisplay(listener.Url)}\n");
                }
            }
            else
            {
                if (_options.Async)
                {
                    socket.Dial(url);
                }
                else
                {
                    await socket.DialAsync(url, cancellationToken).ConfigureAwait(false);
                }
                if (_options.Verbose)
                {
                    WriteText($"Connected to: {url}\n");
                }
            }
        }
        catch (SpNetException ex)
        {
            string message = IsCreateError(address.IsListen, ex)
                ? $"Unable to create {noun} for {url}: {ErrorText.Of(ex)}"
                : $"Unable to {(address.IsListen ? "listen" : "dial")} on {url}: {ErrorText.Of(ex)}";
            throw new CatUsageException(message, ex);
        }
    }

    /// <summary>
    /// Whether NNG 1.5.2 would have failed this URL in nng_dialer_create/nng_listener_create rather than when
    /// starting it; nngcat words the two differently. SpNet checks in one call, so the split follows NNG's rules:
    /// an unknown scheme or a malformed URL fails at create; a dialer resolves its host and port only when dialing,
    /// while a tcp listener resolves both at create (so an unresolvable host or bad port fails there).
    /// </summary>
    private static bool IsCreateError(bool listen, SpNetException ex)
    {
        if (ex.Error == SpError.NotSupported)
        {
            return true;
        }
        if (ex.Error != SpError.AddressInvalid)
        {
            return false;
        }
        string m = ex.Message;
        bool malformed = m.StartsWith("invalid address", StringComparison.Ordinal)
            || m.Contains("is not an SP URL", StringComparison.Ordinal);
        if (listen)
        {
            return malformed || m.Contains("cannot resolve host", StringComparison.Ordinal) || m.Contains("has no addresses", StringComparison.Ordinal);
        }
        if (m.Contains("a dialer needs a host name", StringComparison.Ordinal))
        {
            return true; // NNG: an empty host name is refused by the dialer's constructor
        }
        return malformed && !m.Contains("is not a valid port", StringComparison.Ordinal);
    }

    /// <summary>NNG reports a wildcard listener as <c>tcp://:port</c> (the <c>*</c> dropped); print it the same way.</summary>
    private static string ListenerUrlForDisplay(string url) => url.Replace("://*:", "://:", StringComparison.Ordinal);
}
