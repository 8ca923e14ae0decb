using System.Diagnostics;
using System.Text;

namespace SpNet.Cli;

/// <summary>
/// spcat: opens one socket as the command line says, dials and listens, then sends and prints messages as nngcat
/// 1.5.2 does. Standard streams are injected so tests run it in-process. Not thread-safe: one run per instance.
/// </summary>
public sealed class CatApp
{
    /// <summary>How long senders wait after their last message so queues drain (nngcat waits 200 ms).</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(200);

    private readonly Stream _stdout;
    private readonly TextWriter _stderr;
    private readonly Stream _stdin;
    private CatOptions _options = new();

    /// <summary>Creates the app over the given streams; <paramref name="stdout"/> receives binary output.</summary>
    public CatApp(Stream stdout, TextWriter stderr, Stream stdin)
    {
        _stdout = stdout ?? throw new ArgumentNullException(nameof(stdout));
        _stderr = stderr ?? throw new ArgumentNullException(nameof(stderr));
        _stdin = stdin ?? throw new ArgumentNullException(nameof(stdin));
    }

    /// <summary>The NNG version spcat mimics, printed by --version.</summary>
    public const string CompatibleVersion = "1.5.2";

    /// <summary>
    /// Runs spcat with <paramref name="args"/> and returns the process exit code: 0 on success, 1 on any error
    /// (message on standard error) and after --help, as nngcat.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="cancellationToken">Stops a running loop; the run then ends with <see cref="OperationCanceledException"/>.</param>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        try
        {
            var parser = new ArgumentParser(_stdin);
            CatAction action = parser.Parse(args);
            if (action == CatAction.Help)
            {
                WriteText(Usage.Text);
                return 1;
            }
            if (action == CatAction.Version)
            {
                WriteText(CompatibleVersion + "\n");
                return 0;
            }
            _options = parser.Options;
            Validate(_options);
            await RunSocketAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (CatUsageException ex)
        {
            return await FailAsync(ex.Message).ConfigureAwait(false);
        }
        catch (SpNetException ex)
        {
            // Anything the loops do not name (e.g. a socket option the library refuses).
            return await FailAsync($"{ErrorText.Of(ex)}: {ex.Message}").ConfigureAwait(false);
        }
    }

    private async Task<int> FailAsync(string message)
    {
        await _stderr.WriteAsync(message + "\n").ConfigureAwait(false);
        await _stderr.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return 1;
    }

    /// <summary>nngcat's consistency checks, in its order and with its messages; maps --pair to PAIR1 (PAIR0 with --compat) and --compat to --async.</summary>
    /// <exception cref="CatUsageException">The options do not fit together.</exception>
    public static void Validate(CatOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Addresses.Count == 0)
        {
            throw new CatUsageException("No address specified.");
        }
        if (o.Compat)
        {
            if (o.Async)
            {
                throw new CatUsageException("Options --async and --compat are incompatible.");
            }
            if (o.Count != 0)
            {
                throw new CatUsageException("Options --count and --compat are incompatible.");
            }
            if (o.Protocol == CatProtocol.None && o.PairAlias)
            {
                o.Protocol = CatProtocol.Pair0;
            }
            if (o.Protocol == CatProtocol.Pair1)
            {
                throw new CatUsageException("Protocol does not support --compat.");
            }
            o.Async = true;
        }
        else if (o.Protocol == CatProtocol.None && o.PairAlias)
        {
            // nngcat's source maps --pair to pair1 (pair0 under --compat). The 1.5.2 binary never records --pair,
            // so it says "No protocol specified."; spcat does what the source means.
            o.Protocol = CatProtocol.Pair1;
        }
        if (o.Protocol == CatProtocol.Sub0)
        {
            if (o.Subscriptions.Count == 0)
            {
                o.Subscriptions.Add(string.Empty);
            }
        }
        else if (o.Subscriptions.Count != 0)
        {
            throw new CatUsageException("Protocol does not support --subscribe.");
        }

        switch (o.Protocol)
        {
            case CatProtocol.Pull0:
            case CatProtocol.Sub0:
                if (o.Data is not null)
                {
                    throw new CatUsageException("Protocol does not support --file or --data.");
                }
                if (o.Interval is not null)
                {
                    throw new CatUsageException("Protocol does not support --interval.");
                }
                break;
            case CatProtocol.Push0:
            case CatProtocol.Pub0:
                if (o.Format != OutputFormat.None)
                {
                    throw new CatUsageException("Protocol does not support --format options.");
                }
                RequireData(o);
                break;
            case CatProtocol.Req0:
            case CatProtocol.Surveyor0:
                RequireData(o);
                break;
            case CatProtocol.Rep0:
            case CatProtocol.Respondent0:
                if (o.Interval is not null)
                {
                    throw new CatUsageException("Protocol does not support --interval.");
                }
                break;
            case CatProtocol.Pair0:
            case CatProtocol.Pair1:
            case CatProtocol.Bus0:
            case CatProtocol.Star:
                if (o.Interval is not null && o.Data is null)
                {
                    throw new CatUsageException("Option --interval requires either --file or --data.");
                }
                break;
        }

        switch (o.Protocol)
        {
            case CatProtocol.None:
                throw new CatUsageException("No protocol specified.");
        }
    }

    private static void RequireData(CatOptions o)
    {
        if (o.Data is null)
        {
            throw new CatUsageException("Protocol requires either --file or --data.");
        }
    }

    private static string FlagOf(CatProtocol protocol) => "--" + protocol.ToString().ToLowerInvariant();

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
        await using (socket.ConfigureAwait(false))
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
            socket.Tls = TlsFrom(o);
            foreach (CatAddress address in o.Addresses)
            {
                await StartEndpointAsync(socket, address, cancellationToken).ConfigureAwait(false);
            }
            await RunLoopAsync(socket, cancellationToken).ConfigureAwait(false);
        }
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
                    WriteText($"Listening at: {listener.Url}\n");
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
            // Errors about the URL itself are nngcat's "create" failures; the rest happen when starting.
            bool atCreate = ex.Error == SpError.NotSupported
                || (ex.Error == SpError.AddressInvalid && ex.Message.StartsWith("invalid address", StringComparison.Ordinal));
            string message = atCreate
                ? $"Unable to create {noun} for {url}: {ErrorText.Of(ex)}"
                : $"Unable to {(address.IsListen ? "listen" : "dial")} on {url}: {ErrorText.Of(ex)}";
            throw new CatUsageException(message, ex);
        }
    }

    private Task RunLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        switch (o.Protocol)
        {
            case CatProtocol.Sub0:
            case CatProtocol.Pull0:
                return ReceiveLoopAsync(socket, cancellationToken);
            case CatProtocol.Rep0:
            case CatProtocol.Respondent0:
                return o.Data is null ? ReceiveLoopAsync(socket, cancellationToken) : ReplyLoopAsync(socket, o.Data, cancellationToken);
            case CatProtocol.Push0:
            case CatProtocol.Pub0:
                return SendLoopAsync(socket, o.Data!, cancellationToken);
            case CatProtocol.Pair0:
            case CatProtocol.Pair1:
            case CatProtocol.Bus0:
            case CatProtocol.Star:
                return o.Data is null ? ReceiveLoopAsync(socket, cancellationToken) : SendReceiveLoopAsync(socket, o.Data, cancellationToken);
            default:
                return SendReceiveLoopAsync(socket, o.Data!, cancellationToken);
        }
    }

    /// <summary>Prints messages until --count is reached, or a receive times out or has nothing more to wait for.</summary>
    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        int count = _options.Count;
        for (int iterations = 0; count <= 0 || iterations < count; iterations++)
        {
            Message message;
            try
            {
                message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SpNetException ex) when (ex.Error is SpError.TimedOut or SpError.IncorrectState)
            {
                return;
            }
            catch (SpNetException ex)
            {
                throw new CatUsageException($"Receive error: {ErrorText.Of(ex)}", ex);
            }
            Print(message);
        }
    }

    /// <summary>REP with data: print each request and answer it with the data.</summary>
    private async Task ReplyLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        int count = _options.Count;
        for (int iterations = 0; count <= 0 || iterations < count; iterations++)
        {
            Message message;
            try
            {
                message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SpNetException ex)
            {
                throw new CatUsageException($"Receive error: {ErrorText.Of(ex)}", ex);
            }
            Print(message);
            await SendAsync(socket, data, cancellationToken).ConfigureAwait(false);
        }
        await Task.Delay(DrainTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUB and PUSH: send the data once, or --count times, every --interval.</summary>
    private async Task SendLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        if (o.Delay > TimeSpan.Zero)
        {
            await Task.Delay(o.Delay, cancellationToken).ConfigureAwait(false);
        }
        for (int iterations = 1; ; iterations++)
        {
            long start = Stopwatch.GetTimestamp();
            await SendAsync(socket, data, cancellationToken).ConfigureAwait(false);
            if ((o.Interval is null && o.Count == 0) || (o.Count > 0 && iterations >= o.Count))
            {
                break;
            }
            await SleepRestOfIntervalAsync(start, cancellationToken).ConfigureAwait(false);
        }
        await Task.Delay(DrainTime, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// REQ, SURVEYOR and PAIR with data: send, print what comes back until the next send is due, repeat. A survey's
    /// answers end with its survey time (TimedOut, or IncorrectState once it has passed), as in nngcat.
    /// </summary>
    private async Task SendReceiveLoopAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        CatOptions o = _options;
        if (o.Delay > TimeSpan.Zero)
        {
            await Task.Delay(o.Delay, cancellationToken).ConfigureAwait(false);
        }
        TimeSpan? receiveTimeout = o.ReceiveTimeout is { } t && t > TimeSpan.Zero ? t : null;
        for (int iterations = 1; ; iterations++)
        {
            long start = Stopwatch.GetTimestamp();
            await SendAsync(socket, data, cancellationToken).ConfigureAwait(false);
            if (o.Interval is null && o.Count == 0)
            {
                await ReceiveLoopAsync(socket, cancellationToken).ConfigureAwait(false);
                return;
            }
            while (true)
            {
                // Receive until the next send is due (or --recv-timeout, if shorter). nngcat 1.5.2 fails here with
                // "Cannot set recv timeout" when --count comes without --interval; spcat then waits for the reply.
                TimeSpan expire = Timeout.InfiniteTimeSpan;
                if (o.Interval is { } interval)
                {
                    expire = interval - Stopwatch.GetElapsedTime(start);
                    if (expire < TimeSpan.Zero)
                    {
                        expire = TimeSpan.Zero;
                    }
                }
                if (receiveTimeout is { } limit && (expire == Timeout.InfiniteTimeSpan || expire > limit))
                {
                    expire = limit;
                }
                socket.ReceiveTimeout = expire;
                Message message;
                try
                {
                    message = await socket.ReceiveAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SpNetException ex) when (ex.Error is SpError.TimedOut or SpError.IncorrectState)
                {
                    break;
                }
                catch (SpNetException ex)
                {
                    throw new CatUsageException($"Cannot receive: {ErrorText.Of(ex)}", ex);
                }
                Print(message);
            }
            if (o.Count > 0 && iterations >= o.Count)
            {
                return;
            }
            await SleepRestOfIntervalAsync(start, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SleepRestOfIntervalAsync(long start, CancellationToken cancellationToken)
    {
        if (_options.Interval is not { } interval)
        {
            return;
        }
        TimeSpan rest = interval - Stopwatch.GetElapsedTime(start);
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(Socket socket, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(data, cancellationToken).ConfigureAwait(false);
        }
        catch (SpNetException ex)
        {
            throw new CatUsageException($"Send error: {ErrorText.Of(ex)}", ex);
        }
    }

    private void Print(Message message)
    {
        using (message)
        {
            OutputFormatter.Write(_stdout, message.Body, _options.Format);
        }
    }

    private void WriteText(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        _stdout.Write(bytes, 0, bytes.Length);
        _stdout.Flush();
    }
}
