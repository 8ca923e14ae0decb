using System.Globalization;
using SpNet.Discovery;
using SpNet.Discovery.Etcd;

namespace SpNet.Cli.Discovery;

/// <summary>
/// The flags of <c>spcat discovery …</c> and <c>spcat service …</c>: <c>--name value</c> pairs, <c>--meta</c>
/// repeatable, the switches <c>--echo</c>, <c>--keep-going</c> and <c>--cluster</c>, and the registries or etcd endpoints (<see cref="RegistryArguments"/>).
/// Disposing it closes the etcd connection <see cref="Backend"/> made, if any.
/// </summary>
internal sealed class DiscoveryArguments : IDisposable
{
    /// <summary>The etcd options: TLS files (PEM) and the user, whose password comes from <see cref="EtcdPasswordVariable"/>.</summary>
    public static readonly string[] EtcdFlags = ["--ttl", "--etcd-cert", "--etcd-key", "--etcd-cacert", "--etcd-user"];

    /// <summary>Environment variable holding the password of <c>--etcd-user</c> (kept off the command line, where <c>ps</c> shows it).</summary>
    public const string EtcdPasswordVariable = "SPNET_ETCD_PASSWORD";

    private static readonly string[] s_switches = ["--echo", "--keep-going", "--cluster"];

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switches = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _meta = [];

    public bool Help { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Meta => _meta;

    /// <summary>The registries named (empty unless parsed with a <see cref="RegistryNeed"/>).</summary>
    public IReadOnlyList<RegistryEndpoint> Registries { get; private set; } = [];

    /// <summary>The etcd endpoints named by <c>--etcd</c> (empty when registries are named instead).</summary>
    public IReadOnlyList<string> Etcd { get; private set; } = [];

    private EtcdBackend? _etcdBackend;

    /// <summary>Parses <paramref name="args"/>, accepting only <paramref name="allowed"/> flags, each at most once (<c>--meta</c> repeatable).</summary>
    /// <exception cref="FormatException">Unknown flag, missing value, repeated flag or bad <c>--meta</c>.</exception>
    public static DiscoveryArguments Parse(IReadOnlyList<string> args, params string[] allowed) => ParseFlags(args, allowed);

    /// <summary>
    /// Parses <paramref name="args"/> with the registries as repeatable <c>--survey</c>/<c>--publish</c> flags
    /// (<see cref="RegistryArguments"/>), plus the <paramref name="allowed"/> flags.
    /// </summary>
    /// <exception cref="FormatException">As <see cref="Parse(IReadOnlyList{string}, string[])"/>, or registries missing or unpaired.</exception>
    public static DiscoveryArguments Parse(IReadOnlyList<string> args, RegistryNeed need, params string[] allowed)
    {
        var rest = new List<string>();
        (IReadOnlyList<RegistryEndpoint> Registries, IReadOnlyList<string> Etcd) named;
        try
        {
            named = RegistryArguments.Take(args, need, rest);
        }
        catch (FormatException) when (args.Any(a => a is "-h" or "--help"))
        {
            named = ([], []);
        }
        DiscoveryArguments parsed = ParseFlags(rest, allowed);
        (parsed.Registries, parsed.Etcd) = named;
        return parsed;
    }

    private static DiscoveryArguments ParseFlags(IReadOnlyList<string> args, string[] allowed)
    {
        var parsed = new DiscoveryArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            if (flag is "-h" or "--help")
            {
                parsed.Help = true;
                continue;
            }
            if (!allowed.Contains(flag))
            {
                throw new FormatException($"unknown option '{flag}'");
            }
            if (s_switches.Contains(flag))
            {
                parsed._switches.Add(flag);
                continue;
            }
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{flag} needs a value");
            }
            string value = args[++i];
            if (flag == "--meta")
            {
                int eq = value.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    throw new FormatException($"--meta needs key=value, got '{value}'");
                }
                parsed._meta.Add(new(value[..eq], value[(eq + 1)..]));
            }
            else if (!parsed._values.TryAdd(flag, value))
            {
                throw new FormatException($"{flag} given twice");
            }
        }
        return parsed;
    }

    /// <summary>
    /// The backend named: etcd (one connection, made on first use, closed by <see cref="Dispose"/>) or the registries
    /// with <paramref name="tls"/>.
    /// </summary>
    /// <exception cref="FormatException">An etcd option (<see cref="EtcdFlags"/>) without <c>--etcd</c>, or <c>--etcd-user</c> without its password.</exception>
    public IDiscoveryBackend Backend(TlsOptions? tls = null)
    {
        TimeSpan? ttl = Seconds("--ttl");
        if (Etcd.Count == 0)
        {
            return NamesEtcdOptions ? throw new FormatException("--ttl and --etcd-* are etcd options: they need --etcd") : new RegistryBackend(Registries, tls: tls);
        }
        if (_etcdBackend is null)
        {
            string? user = Optional("--etcd-user");
            string? password = user is null ? null : Environment.GetEnvironmentVariable(EtcdPasswordVariable);
            if (user is not null && string.IsNullOrEmpty(password))
            {
                throw new FormatException($"--etcd-user needs the password in the environment variable {EtcdPasswordVariable}");
            }
            _etcdBackend = new EtcdBackend(new EtcdBackendOptions
            {
                Endpoints = [.. Etcd],
                LeaseTtl = ttl ?? EtcdBackendOptions.DefaultLeaseTtl,
                Tls = TlsFrom("--etcd-cert", "--etcd-key", "--etcd-cacert"),
                Username = user,
                Password = password,
            });
        }
        return _etcdBackend;
    }

    /// <summary>True when any etcd option (<see cref="EtcdFlags"/>) was given.</summary>
    public bool NamesEtcdOptions => EtcdFlags.Any(f => _values.ContainsKey(f));

    /// <summary>Closes the etcd connection, if one was made.</summary>
    public void Dispose() => _etcdBackend?.Dispose();

    /// <summary>True when the switch <paramref name="flag"/> (e.g. <c>--echo</c>) was given.</summary>
    public bool Switch(string flag) => _switches.Contains(flag);

    public string? Optional(string flag) => _values.GetValueOrDefault(flag);

    public string Required(string flag) =>
        _values.TryGetValue(flag, out string? value) ? value : throw new FormatException($"{flag} is required");

    public TimeSpan? Seconds(string flag)
    {
        if (!_values.TryGetValue(flag, out string? text))
        {
            return null;
        }
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds is >= 0.01 and <= 86400
            ? TimeSpan.FromSeconds(seconds)
            : throw new FormatException($"{flag} needs seconds between 0.01 and 86400, got '{text}'");
    }

    public int? Count(string flag)
    {
        if (!_values.TryGetValue(flag, out string? text))
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
            ? n
            : throw new FormatException($"{flag} needs a positive whole number, got '{text}'");
    }

    /// <summary>
    /// The TLS settings of a registry connection (<c>discovery register|watch</c>) from <c>--cert F --key F --cacert F</c>,
    /// or null when none is given.
    /// </summary>
    /// <exception cref="FormatException">Only one of <c>--cert</c> and <c>--key</c>, or any of them with <c>--etcd</c>
    /// (etcd has its own: <c>--etcd-cert</c>, <c>--etcd-key</c>, <c>--etcd-cacert</c>).</exception>
    public TlsOptions? RegistryTls() =>
        Etcd.Count > 0 && (_values.ContainsKey("--cert") || _values.ContainsKey("--key") || _values.ContainsKey("--cacert"))
            ? throw new FormatException("--cert, --key and --cacert are for tls+tcp:// registries; etcd takes --etcd-cert, --etcd-key and --etcd-cacert")
            : Tls();

    /// <summary>The TLS settings from <c>--cert F --key F --cacert F</c>, or null when none is given.</summary>
    /// <exception cref="FormatException">Only one of <c>--cert</c> and <c>--key</c>.</exception>
    public TlsOptions? Tls() => TlsFrom("--cert", "--key", "--cacert");

    private TlsOptions? TlsFrom(string certFlag, string keyFlag, string caFlag)
    {
        string? cert = Optional(certFlag);
        string? key = Optional(keyFlag);
        string? ca = Optional(caFlag);
        if (cert is null && key is null && ca is null)
        {
            return null;
        }
        if ((cert is null) != (key is null))
        {
            throw new FormatException($"{certFlag} and {keyFlag} go together");
        }
        TlsOptions tls = cert is null ? new TlsOptions() : TlsOptions.FromPemFiles(cert, key!);
        return ca is null ? tls : tls.AddCaPemFile(ca);
    }
}
