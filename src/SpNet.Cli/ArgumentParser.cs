using System.Globalization;
using System.Text;

namespace SpNet.Cli;

/// <summary>What the command line asks spcat to do.</summary>
public enum CatAction
{
    /// <summary>Open a socket and run the protocol loop.</summary>
    Run,
    /// <summary>Print usage and exit with 1 (as nngcat does).</summary>
    Help,
    /// <summary>Print the version and exit with 0.</summary>
    Version,
}

/// <summary>
/// Parses nngcat's command line: long options by name or by any unambiguous prefix, with the value after '=',
/// ':' or in the next argument; single-letter options with the value attached (<c>-Dhello</c>) or next
/// (<c>-D hello</c>). Parsing stops silently at the first argument that is not an option, or at a lone '-'.
/// Files named by --file are read while parsing, so their errors come in command-line order, as in nngcat.
/// </summary>
public sealed class ArgumentParser
{
    private enum Opt
    {
        Help, Verbose, Silent, Protocol, Pair,
        Dial, Listen, Data, File, Subscribe, Format, FormatFlag, Compat, Async, RecvMaxSize,
        Count, Delay, Interval, RecvTimeout, SendTimeout, SocketName, ListenIpc, DialIpc, ListenLocal, DialLocal,
        Insecure, CaCert, Key, Cert, ZtHome, Version, Stats, PipeEvents, TcpKeepAlive, TcpKeepAliveTime,
        TcpKeepAliveInterval, TcpKeepAliveCount, TcpUserTimeout,
    }

    /// <summary>One option; a protocol flag names its protocol and a format flag its format, so one case applies them all.</summary>
    private sealed record Spec(string Name, char Short, Opt Value, bool HasArgument)
    {
        public CatProtocol Protocol { get; init; }

        public OutputFormat Format { get; init; }
    }

    // Same names, letters and order as nngcat 1.5.2's table; the order decides nothing but exact-match ties.
    private static readonly Spec[] Specs =
    [
        new("help", 'h', Opt.Help, false),
        new("verbose", 'v', Opt.Verbose, false),
        new("silent", 'q', Opt.Silent, false),
        new("req0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Req0 },
        new("rep0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Rep0 },
        new("push0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Push0 },
        new("pull0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Pull0 },
        new("pub0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Pub0 },
        new("sub", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Sub0 },
        new("sub0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Sub0 },
        new("surveyor0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Surveyor0 },
        new("respondent0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Respondent0 },
        new("pair", '\0', Opt.Pair, false),
        new("pair0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Pair0 },
        new("pair1", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Pair1 },
        new("bus0", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Bus0 },
        new("star", '\0', Opt.Protocol, false) { Protocol = CatProtocol.Star },
        new("dial", '\0', Opt.Dial, true),
        new("listen", '\0', Opt.Listen, true),
        new("data", 'D', Opt.Data, true),
        new("file", 'F', Opt.File, true),
        new("subscribe", '\0', Opt.Subscribe, true),
        new("format", '\0', Opt.Format, true),
        new("ascii", 'A', Opt.FormatFlag, false) { Format = OutputFormat.Ascii },
        new("quoted", 'Q', Opt.FormatFlag, false) { Format = OutputFormat.Quoted },
        new("raw", '\0', Opt.FormatFlag, false) { Format = OutputFormat.Raw },
        new("hex", '\0', Opt.FormatFlag, false) { Format = OutputFormat.Hex },
        new("compat", '\0', Opt.Compat, false),
        new("async", '\0', Opt.Async, false),
        new("msgpack", '\0', Opt.FormatFlag, false) { Format = OutputFormat.MsgPack },
        new("recv-maxsz", 'Z', Opt.RecvMaxSize, true),
        new("count", 'C', Opt.Count, true),
        new("delay", 'd', Opt.Delay, true),
        new("interval", 'i', Opt.Interval, true),
        new("recv-timeout", '\0', Opt.RecvTimeout, true),
        new("send-timeout", '\0', Opt.SendTimeout, true),
        new("socket-name", '\0', Opt.SocketName, true),
        new("bind", '\0', Opt.Listen, true),
        new("connect", '\0', Opt.Dial, true),
        new("bind-ipc", 'X', Opt.ListenIpc, true),
        new("connect-ipc", 'x', Opt.DialIpc, true),
        new("bind-local", 'L', Opt.ListenLocal, true),
        new("connect-local", 'l', Opt.DialLocal, true),
        new("insecure", 'k', Opt.Insecure, false),
        new("cacert", '\0', Opt.CaCert, true),
        new("key", '\0', Opt.Key, true),
        new("cert", 'E', Opt.Cert, true),
        new("zt-home", '\0', Opt.ZtHome, true),
        new("version", 'V', Opt.Version, false),
        // spcat extensions after nngcat's table. "star" and "stats" only share prefixes ("--st") that nngcat rejects anyway.
        new("stats", '\0', Opt.Stats, false),
        // No nngcat option starts with "pi" or "t", so these make no nngcat prefix ambiguous.
        new("pipe-events", '\0', Opt.PipeEvents, false),
        new("tcp-keepalive", '\0', Opt.TcpKeepAlive, false),
        new("tcp-keepalive-time", '\0', Opt.TcpKeepAliveTime, true),
        new("tcp-keepalive-interval", '\0', Opt.TcpKeepAliveInterval, true),
        new("tcp-keepalive-count", '\0', Opt.TcpKeepAliveCount, true),
        new("tcp-user-timeout", '\0', Opt.TcpUserTimeout, true),
    ];

    private const int MaxSeconds = 86400;

    private readonly Stream _stdin;
    private bool _caCert;
    private bool _key;
    private bool _cert;

    /// <summary>Creates a parser; <paramref name="stdin"/> is read when the command line says <c>--file -</c>.</summary>
    public ArgumentParser(Stream stdin) => _stdin = stdin ?? throw new ArgumentNullException(nameof(stdin));

    /// <summary>The options collected so far (complete after <see cref="Parse"/> returns).</summary>
    public CatOptions Options { get; } = new();

    /// <summary>Parses <paramref name="args"/> into <see cref="Options"/> and tells what to do next.</summary>
    /// <exception cref="CatUsageException">An option is unknown, ambiguous, missing its value or has a bad value.</exception>
    public CatAction Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int index = 0;
        while (index < args.Count)
        {
            string arg = args[index];
            if (arg.Length == 0 || arg[0] != '-')
            {
                break;
            }
            if (arg.Length == 1)
            {
                break;
            }
            (Spec? spec, string? value, int next) = Match(args, index);
            index = next;
            CatAction? action = Apply(spec!, value);
            if (action is not null)
            {
                return action.Value;
            }
        }
        return CatAction.Run;
    }

    private static (Spec? Spec, string? Value, int Next) Match(IReadOnlyList<string> args, int index)
    {
        string arg = args[index];
        bool isShort = arg[1] != '-';
        string body = isShort ? arg[1..] : arg[2..];
        int nameLength = 1;
        if (!isShort)
        {
            int stop = body.IndexOfAny(['=', ':']);
            nameLength = stop < 0 ? body.Length : stop;
        }

        Spec? found = null;
        int matches = 0;
        foreach (Spec spec in Specs)
        {
            if (isShort)
            {
                if (spec.Short != '\0' && body[0] == spec.Short)
                {
                    found = spec;
                    matches = 1;
                    break;
                }
                continue;
            }
            if (spec.Name.Length < nameLength || string.CompareOrdinal(spec.Name, 0, body, 0, nameLength) != 0)
            {
                continue;
            }
            matches++;
            found = spec;
            if (spec.Name.Length == nameLength)
            {
                matches = 1;
                break;
            }
        }

        if (matches == 0)
        {
            throw new CatUsageException($"Option {arg} is invalid.");
        }
        if (matches > 1)
        {
            throw new CatUsageException($"Option {arg} is ambiguous (specify in full).");
        }
        if (!found!.HasArgument)
        {
            // No clustering of short options, and no value for a flag.
            if (body.Length != nameLength)
            {
                throw new CatUsageException($"Option {arg} is invalid.");
            }
            return (found, null, index + 1);
        }
        if (body.Length != nameLength)
        {
            return (found, isShort ? body[1..] : body[(nameLength + 1)..], index + 1);
        }
        if (index + 1 >= args.Count)
        {
            throw new CatUsageException($"Option {arg} requires argument.");
        }
        return (found, args[index + 1], index + 2);
    }

    private CatAction? Apply(Spec spec, string? value)
    {
        CatOptions o = Options;
        switch (spec.Value)
        {
            case Opt.Help:
                return CatAction.Help;
            case Opt.Version:
                return CatAction.Version;
            case Opt.Protocol: SetProtocol(spec.Protocol); break;
            case Opt.Pair: o.PairAlias = true; break;
            case Opt.Dial: o.Addresses.Add(new CatAddress(false, value!)); break;
            case Opt.Listen: o.Addresses.Add(new CatAddress(true, value!)); break;
            case Opt.DialLocal:
            case Opt.ListenLocal:
                int port = ParseInteger(value!, 65536);
                o.Addresses.Add(new CatAddress(spec.Value == Opt.ListenLocal, $"tcp://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
                break;
            case Opt.DialIpc:
            case Opt.ListenIpc:
                o.Addresses.Add(new CatAddress(spec.Value == Opt.ListenIpc, $"ipc:///{value}"));
                break;
            case Opt.Count: o.Count = ParseInteger(value!, int.MaxValue); break;
            case Opt.Subscribe: o.Subscriptions.Add(value!); break;
            case Opt.Verbose: o.Verbose = true; break;
            case Opt.Silent: o.Verbose = false; break;
            case Opt.Delay: o.Delay = ParseSeconds(value!); break;
            case Opt.Interval: o.Interval = ParseSeconds(value!); break;
            case Opt.SendTimeout: o.SendTimeout = ParseSeconds(value!); break;
            case Opt.RecvTimeout: o.ReceiveTimeout = ParseSeconds(value!); break;
            case Opt.RecvMaxSize:
                int size = ParseInteger(value!, int.MaxValue);
                o.ReceiveMaxSize = size == 0 ? int.MaxValue : size;
                break;
            case Opt.Compat: o.Compat = true; break;
            case Opt.Async: o.Async = true; break;
            case Opt.Stats: o.Stats = true; break;
            case Opt.PipeEvents: o.PipeEvents = true; break;
            case Opt.TcpKeepAlive: o.Tcp.KeepAlive = true; break;
            case Opt.TcpKeepAliveTime:
                o.Tcp.KeepAliveTime = TimeSpan.FromSeconds(ParseInteger(value!, TcpOptions.MaxKeepAliveSeconds));
                o.Tcp.KeepAlive = true;
                break;
            case Opt.TcpKeepAliveInterval:
                o.Tcp.KeepAliveInterval = TimeSpan.FromSeconds(ParseInteger(value!, TcpOptions.MaxKeepAliveSeconds));
                o.Tcp.KeepAlive = true;
                break;
            case Opt.TcpKeepAliveCount:
                o.Tcp.KeepAliveRetryCount = ParseInteger(value!, TcpOptions.MaxKeepAliveRetryCount);
                o.Tcp.KeepAlive = true;
                break;
            case Opt.TcpUserTimeout: o.Tcp.UserTimeout = ParseSeconds(value!); break;
            case Opt.FormatFlag: SetFormat(spec.Format); break;
            case Opt.Format: SetFormat(ParseFormat(value!)); break;
            case Opt.File:
                EnsureNoData();
                o.Data = LoadFile(value!);
                break;
            case Opt.Data:
                EnsureNoData();
                o.Data = Encoding.UTF8.GetBytes(value!);
                break;
            case Opt.CaCert:
                LoadOnce(ref _caCert, "CA Certificate (--cacert) may be specified only once.", value!);
                o.CaCertificatePath = value;
                break;
            case Opt.Key:
                LoadOnce(ref _key, "Key (--key) may be specified only once.", value!);
                o.KeyPath = value;
                break;
            case Opt.Cert:
                LoadOnce(ref _cert, "Cert (--cert) may be specified only once.", value!);
                o.CertificatePath = value;
                break;
            case Opt.Insecure:
                o.Insecure = true;
                o.HasTlsOptions = true;
                break;
            case Opt.ZtHome:
                o.HasTlsOptions = true;
                break;
            case Opt.SocketName:
                break; // accepted and ignored, as nngcat does
        }
        return null;
    }

    private void SetProtocol(CatProtocol protocol)
    {
        if (Options.Protocol != CatProtocol.None)
        {
            throw new CatUsageException("Only one protocol may be specified.");
        }
        Options.Protocol = protocol;
    }

    private void SetFormat(OutputFormat format)
    {
        if (Options.Format != OutputFormat.None)
        {
            throw new CatUsageException("Format may be specified only once.");
        }
        Options.Format = format;
    }

    private void EnsureNoData()
    {
        if (Options.Data is not null)
        {
            throw new CatUsageException("Data (--file, --data) may be specified only once.");
        }
    }

    private void LoadOnce(ref bool loaded, string duplicateMessage, string path)
    {
        if (loaded)
        {
            throw new CatUsageException(duplicateMessage);
        }
        _ = LoadFile(path);
        loaded = true;
        Options.HasTlsOptions = true;
    }

    private static OutputFormat ParseFormat(string value) => value switch
    {
        "no" => OutputFormat.No,
        "ascii" => OutputFormat.Ascii,
        "hex" => OutputFormat.Hex,
        "quoted" => OutputFormat.Quoted,
        "raw" => OutputFormat.Raw,
        "msgpack" => OutputFormat.MsgPack,
        _ => throw new CatUsageException("Invalid format specified."),
    };

    /// <summary>
    /// nngcat's integer rule: decimal digits only, checked against <paramref name="max"/> digit by digit. Like nngcat's
    /// C <c>int</c>, the running value wraps at 32 bits, so 2147483648 is "Integer argument overflow." and a value
    /// that wraps back into range (4294967297) is accepted as what it wrapped to; scripts see the same results.
    /// </summary>
    /// <exception cref="CatUsageException">The text is empty, not all digits, above <paramref name="max"/>, or wraps negative.</exception>
    public static int ParseInteger(string value, int max)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new CatUsageException("Empty integer argument.");
        }
        int result = 0;
        foreach (char c in value)
        {
            if (c is < '0' or > '9')
            {
                throw new CatUsageException("Integer argument expected.");
            }
            result = unchecked((result * 10) + (c - '0'));
            if (result > max)
            {
                throw new CatUsageException("Integer argument too large.");
            }
        }
        if (result < 0)
        {
            throw new CatUsageException("Integer argument overflow.");
        }
        return result;
    }

    /// <summary>Whole seconds as nngcat (at most one day), plus a fractional extension such as <c>0.25</c> (millisecond resolution).</summary>
    /// <exception cref="CatUsageException">The text is not a number of seconds up to one day.</exception>
    public static TimeSpan ParseSeconds(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        int dot = value.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return TimeSpan.FromSeconds(ParseInteger(value, MaxSeconds));
        }
        string whole = value[..dot];
        string fraction = value[(dot + 1)..];
        if ((whole.Length == 0 && fraction.Length == 0) || !IsDigits(whole) || !IsDigits(fraction))
        {
            throw new CatUsageException("Integer argument expected.");
        }
        int seconds = whole.Length == 0 ? 0 : ParseInteger(whole, MaxSeconds);
        string millisText = (fraction + "000")[..3];
        int millis = int.Parse(millisText, NumberStyles.None, CultureInfo.InvariantCulture);
        if (seconds == MaxSeconds && millis > 0)
        {
            throw new CatUsageException("Integer argument too large.");
        }
        return TimeSpan.FromMilliseconds((seconds * 1000L) + millis);
    }

    private static bool IsDigits(string text)
    {
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }
        return true;
    }

    private byte[] LoadFile(string path)
    {
        if (path == "-")
        {
            return PayloadFile.Read(_stdin, "standard input");
        }
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(path))
            {
                throw new CatUsageException($"Read from {path} failed: Is a directory", ex);
            }
            throw new CatUsageException($"Cannot open file {path}: {Describe(ex)}", ex);
        }
        using (stream)
        {
            try
            {
                return PayloadFile.Read(stream, path);
            }
            catch (IOException ex)
            {
                throw new CatUsageException($"Read from {path} failed: {ex.Message}", ex);
            }
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => ex.Message,
    };
}
