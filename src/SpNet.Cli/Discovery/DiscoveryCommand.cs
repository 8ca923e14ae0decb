using System.Globalization;
using System.Text;
using SpNet.Discovery;

namespace SpNet.Cli.Discovery;

/// <summary>
/// <c>spcat discovery serve|register|watch</c>: runs a discovery registry, registers a member, or prints the member
/// set on every change. Each runs until interrupted (Ctrl-C) or its token is canceled; <c>watch --count N</c> ends
/// after N snapshots. Exit codes: 0 done, 1 runtime error (e.g. address in use), 2 bad arguments.
/// </summary>
public static class DiscoveryCommand
{
    private const string Usage =
        """
        usage: spcat discovery serve --survey URL --publish URL [--interval S] [--missed N] [--cert F --key F [--cacert F [--cluster]]]
               spcat discovery register (--survey URL [--survey URL]... | --etcd URL[,URL]...) --service NAME --address ADDR [--meta k=v]... [--ttl S] [--cert F --key F] [--cacert F]
               spcat discovery watch (--publish URL [--publish URL]... | --etcd URL[,URL]...) [--count N] [--cert F --key F] [--cacert F]
          serve     run a registry: survey members on URL every S seconds (default 1), publish snapshots on URL;
                    prints the bound addresses, then one line per change; with --cert/--key (PEM) it serves tls+tcp://
                    URLs, with --cacert only members and watchers holding a certificate from that CA connect, and with
                    --cluster a member is listed only when its certificate names its service (docs/discovery.md)
          register  answer the surveys of every registry given as NAME at ADDR until interrupted
          watch     follow every registry given and print one JSON line per change of the merged member set
                    (see docs/discovery.md)
          register and watch also take --survey URL --publish URL pairs (in order), as spcat service does;
                    for tls+tcp:// registries --cacert F (PEM) is the CA the registry's certificate must chain to,
                    and --cert F --key F (PEM) the certificate offered when the registry requires one;
                    --etcd names etcd endpoints instead of registries (repeatable; docs/discovery.md);
                    --ttl S is the etcd lease time to live (default 10); --etcd-cacert F, --etcd-cert F --etcd-key F
                    (PEM) for https endpoints; --etcd-user NAME with the password in SPNET_ETCD_PASSWORD
        """;

    /// <summary>The TLS files (PEM) of a registry's member or watcher, as <c>serve</c> and <c>spcat service</c> take them.</summary>
    private static readonly string[] s_registryTls = ["--cert", "--key", "--cacert"];

    /// <summary>Runs the command until Ctrl-C. Used by <c>Program.Main</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        return await SubcommandRunner.UntilInterruptedAsync(token => RunAsync(args, output, error, token)).ConfigureAwait(false);
    }

    /// <summary>Runs the command until <paramref name="cancellationToken"/> is canceled (then returns 0).</summary>
    /// <param name="args">Arguments after <c>discovery</c>.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where diagnostics go.</param>
    /// <param name="cancellationToken">Ends the command.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        await SubcommandRunner.DispatchAsync("spcat discovery", Usage, args, output, error, () =>
        {
            Func<DiscoveryArguments, TextWriter, CancellationToken, Task<int>> command = args[0] switch
            {
                "serve" => ServeAsync,
                "register" => RegisterAsync,
                "watch" => WatchAsync,
                _ => throw new FormatException($"unknown command '{args[0]}'"),
            };
            DiscoveryArguments arguments = args[0] switch
            {
                "serve" => DiscoveryArguments.Parse(args[1..], "--survey", "--publish", "--interval", "--missed", "--cert", "--key", "--cacert", "--cluster"),
                "register" => DiscoveryArguments.Parse(args[1..], RegistryNeed.Survey, ["--service", "--address", "--meta", .. s_registryTls, .. DiscoveryArguments.EtcdFlags]),
                _ => DiscoveryArguments.Parse(args[1..], RegistryNeed.Publish, ["--count", .. s_registryTls, .. DiscoveryArguments.EtcdFlags]),
            };
            return SubcommandRunner.RunParsedAsync(arguments, Usage, output, parsed => command(parsed, output, cancellationToken));
        }, cancellationToken).ConfigureAwait(false);

    private static async Task<int> ServeAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var options = new RegistryOptions
        {
            SurveyUrl = arguments.Required("--survey"),
            PublishUrl = arguments.Required("--publish"),
            Interval = arguments.Seconds("--interval") ?? RegistryOptions.DefaultInterval,
            MissedRounds = arguments.Count("--missed") ?? RegistryOptions.DefaultMissedRounds,
            Tls = arguments.Tls(),
            RequireServiceCertificate = arguments.Switch("--cluster"),
        };
        if (options.Tls is { CaCertificates.Count: > 0 } tls)
        {
            tls.ClientAuth = TlsAuthMode.Required; // a registry's CA is there to check the members' and watchers' certificates
        }
        var registry = new Registry(options);
        await using (registry.ConfigureAwait(false))
        {
            var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
            registry.Changed += (_, s) => lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture,
                $"version {s.Version}: {s.Members.Count} members in {s.Services.Count} services"));
            await registry.StartAsync(cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"survey {registry.SurveyUrl}").ConfigureAwait(false);
            await output.WriteLineAsync($"publish {registry.PublishUrl}").ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await foreach (string line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        return 0;
    }

    private static async Task<int> RegisterAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var member = new ServiceMember(arguments.Required("--service"), arguments.Required("--address"),
            arguments.Meta.Count == 0 ? null : arguments.Meta.ToDictionary(StringComparer.Ordinal));
        var registration = ServiceRegistration.Start(arguments.Backend(arguments.RegistryTls()), member);
        await using (registration.ConfigureAwait(false))
        {
            await output.WriteLineAsync(Encoding.UTF8.GetString(DiscoveryFormat.EncodeAnnouncement(member))).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        return 0;
    }

    private static async Task<int> WatchAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        int limit = arguments.Count("--count") ?? int.MaxValue;
        var client = DiscoveryClient.Start(arguments.Backend(arguments.RegistryTls()));
        await using (client.ConfigureAwait(false))
        {
            int printed = 0;
            await foreach (ServiceSnapshot snapshot in client.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                await output.WriteLineAsync(Encoding.UTF8.GetString(DiscoveryFormat.EncodeSnapshot(snapshot))).ConfigureAwait(false);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                if (++printed >= limit)
                {
                    break;
                }
            }
        }
        return 0;
    }
}
