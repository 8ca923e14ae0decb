using SpNet.Cli.Discovery;
using SpNet.Discovery;

namespace SpNet.Cli.Service;

/// <summary>
/// The flags of <c>spcat service …</c>: the registries as repeated <c>--survey URL --publish URL</c> pairs (in order),
/// the switch <c>--echo</c>, the TLS files, and the other <c>--name value</c> flags through <see cref="DiscoveryArguments"/>.
/// </summary>
internal sealed class ServiceArguments
{
    private ServiceArguments(DiscoveryArguments values, IReadOnlyList<RegistryEndpoint> registries, bool echo)
    {
        Values = values;
        Registries = registries;
        Echo = echo;
    }

    public DiscoveryArguments Values { get; }

    public IReadOnlyList<RegistryEndpoint> Registries { get; }

    public bool Echo { get; }

    public bool Help => Values.Help;

    /// <exception cref="FormatException">Unknown flag, missing value, unpaired registry address.</exception>
    public static ServiceArguments Parse(IReadOnlyList<string> args, params string[] allowed)
    {
        var surveys = new List<string>();
        var publishes = new List<string>();
        var rest = new List<string>();
        bool echo = false;
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is "--survey" or "--publish")
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"{args[i]} needs a value");
                }
                (args[i] == "--survey" ? surveys : publishes).Add(args[++i]);
            }
            else if (args[i] == "--echo" && allowed.Contains("--echo"))
            {
                echo = true;
            }
            else
            {
                rest.Add(args[i]);
            }
        }
        DiscoveryArguments values = DiscoveryArguments.Parse(rest, allowed);
        if (values.Help)
        {
            return new ServiceArguments(values, [], echo);
        }
        if (surveys.Count == 0 || surveys.Count != publishes.Count)
        {
            throw new FormatException("name each registry by --survey URL --publish URL (repeat the pair for several)");
        }
        return new ServiceArguments(values, [.. surveys.Zip(publishes, (s, p) => new RegistryEndpoint(s, p))], echo);
    }

    /// <summary>The TLS settings from <c>--cert F --key F --cacert F</c>, or null when none is given.</summary>
    public TlsOptions? Tls()
    {
        string? cert = Values.Optional("--cert");
        string? key = Values.Optional("--key");
        string? ca = Values.Optional("--cacert");
        if (cert is null && key is null && ca is null)
        {
            return null;
        }
        if ((cert is null) != (key is null))
        {
            throw new FormatException("--cert and --key go together");
        }
        TlsOptions tls = cert is null ? new TlsOptions() : TlsOptions.FromPemFiles(cert, key!);
        return ca is null ? tls : tls.AddCaPemFile(ca);
    }
}
