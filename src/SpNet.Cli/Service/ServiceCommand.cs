using System.Globalization;
using System.Text;
using SpNet.Cli.Discovery;
using SpNet.Discovery;

namespace SpNet.Cli.Service;

/// <summary>
/// <c>spcat service host|request|broadcast|gather|publish|subscribe|tunnel</c>: a thin shell over
/// <see cref="ServiceHost"/> and <see cref="ServiceClient"/> (docs/services.md). Every command names its registries by
/// <c>--survey URL --publish URL</c> pairs, or etcd by <c>--etcd URL</c>. Exit codes as <c>spcat discovery</c>: 0 done, 1 runtime error (e.g. no live
/// member), 2 bad arguments.
/// </summary>
public static class ServiceCommand
{
    private const string Usage =
        """
        usage: spcat service host --service NAME REG [--reply TEXT | --echo] [--zone Z] [--address URL] [--ttl S] [--cert F --key F --cacert F]
               spcat service request --service NAME REG --data TEXT [--count N] [--interval S] [--keep-going] [--timeout S]
               spcat service broadcast --service NAME REG --data TEXT
               spcat service gather --service NAME REG --data TEXT [--deadline S]
               spcat service publish --topic T REG --data TEXT [--count N] [--interval S] [--address URL]
               spcat service subscribe --topic T REG [--count N]
               spcat service tunnel --service NAME REG [--file F]
          REG       --survey URL --publish URL, repeated in order for several registries; or --etcd URL[,URL]...
          host      serve NAME (reply TEXT, or echo; default echo); one line per request, broadcast and tunnel;
                    --address URL: where to listen, announced as is (default tcp://127.0.0.1:0);
                    --ttl S: the etcd lease time to live (default 10)
          request   print each reply on its own line, S seconds apart (default 0); --keep-going: a failed
                    request prints "error: TEXT" and the next one follows (exit 0); --timeout S: bound of one
                    request (default 30)
          broadcast send to every live member, no reply
          gather    print one line per member reply (address, tab, reply) within S seconds (default 1)
          publish   publish TEXT N times (default 1), S seconds apart (default 0.1), once a subscriber is connected;
                    --address URL: where the topic publisher listens (default tcp://127.0.0.1:0)
          {n} in the --data of request and publish is replaced by the message's number (1, 2, ...)
          subscribe print one message per line; stop after N
          tunnel    stream the lines of F (or stdin) through a tunnel and print what comes back, in order
          every command also takes --cert F --key F --cacert F (per-cluster TLS), and with --etcd:
                    --etcd-cacert F, --etcd-cert F --etcd-key F, --etcd-user NAME (password in SPNET_ETCD_PASSWORD)
        """;

    private static readonly string[] s_tls = ["--cert", "--key", "--cacert", .. DiscoveryArguments.EtcdFlags];

    /// <summary>Runs the command until Ctrl-C. Used by <c>Program.Main</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        return await SubcommandRunner.UntilInterruptedAsync(token => RunAsync(args, output, error, Console.In, token)).ConfigureAwait(false);
    }

    /// <summary>Runs the command until it ends or <paramref name="cancellationToken"/> is canceled (then returns 0).</summary>
    /// <param name="args">Arguments after <c>service</c>.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where diagnostics go.</param>
    /// <param name="input">What <c>tunnel</c> streams when no <c>--file</c> is given.</param>
    /// <param name="cancellationToken">Ends the command.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await SubcommandRunner.DispatchAsync("spcat service", Usage, args, output, error, async () =>
        {
            Func<DiscoveryArguments, TextWriter, CancellationToken, Task> command = args[0] switch
            {
                "host" => HostAsync,
                "request" => RequestAsync,
                "broadcast" => BroadcastAsync,
                "gather" => GatherAsync,
                "publish" => PublishAsync,
                "subscribe" => SubscribeAsync,
                "tunnel" => (a, o, ct) => TunnelAsync(a, o, input, ct),
                _ => throw new FormatException($"unknown command '{args[0]}'"),
            };
            string[] allowed = args[0] switch
            {
                "host" => ["--service", "--reply", "--echo", "--zone", "--address", .. s_tls],
                "request" => ["--service", "--data", "--count", "--interval", "--keep-going", "--timeout", .. s_tls],
                "broadcast" => ["--service", "--data", .. s_tls],
                "gather" => ["--service", "--data", "--deadline", .. s_tls],
                "publish" => ["--topic", "--data", "--count", "--interval", "--address", .. s_tls],
                "subscribe" => ["--topic", "--count", .. s_tls],
                _ => ["--service", "--file", .. s_tls],
            };
            return await SubcommandRunner.RunParsedAsync(DiscoveryArguments.Parse(args[1..], RegistryNeed.Both, allowed), Usage, output, async arguments =>
            {
                await command(arguments, output, cancellationToken).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static ServiceClient Client(DiscoveryArguments arguments) =>
        ServiceClient.Start(new ServiceClientOptions
        {
            Registries = arguments.Registries,
            Backend = EtcdOrNull(arguments),
            Tls = arguments.Tls(),
            TopicAddress = arguments.Optional("--address"),
            RequestTimeout = arguments.Seconds("--timeout") ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>The <c>--data</c> text of message <paramref name="number"/>: <c>{n}</c> replaced by the number, so each message can be told apart.</summary>
    private static byte[] Numbered(string data, int number) =>
        Encoding.UTF8.GetBytes(data.Replace("{n}", number.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private static IDiscoveryBackend? EtcdOrNull(DiscoveryArguments arguments) => arguments.Etcd.Count > 0 || arguments.NamesEtcdOptions ? arguments.Backend() : null;

    private static async Task WriteAsync(TextWriter output, string line, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(line).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task HostAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        string? replyText = arguments.Optional("--reply");
        if (replyText is not null && arguments.Switch("--echo"))
        {
            throw new FormatException("--reply and --echo exclude each other");
        }
        byte[]? reply = replyText is null ? null : Encoding.UTF8.GetBytes(replyText);
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        ServiceHost host = await ServiceHost.StartAsync(new ServiceHostOptions
        {
            Service = arguments.Required("--service"),
            Registries = arguments.Registries,
            Backend = EtcdOrNull(arguments),
            Zone = arguments.Optional("--zone"),
            Address = arguments.Optional("--address"),
            Tls = arguments.Tls(),
        }, cancellationToken).ConfigureAwait(false);
        await using (host.ConfigureAwait(false))
        {
            host.OnRequest((request, _) =>
            {
                lines.Writer.TryWrite($"request {request}");
                return ValueTask.FromResult(reply is null ? Message.Create(request.Body) : Message.Create(reply));
            });
            host.OnBroadcast((message, _) =>
            {
                lines.Writer.TryWrite($"broadcast {message}");
                return ValueTask.CompletedTask;
            });
            host.OnTunnel(async (tunnel, ct) =>
            {
                int count = 0;
                while (await tunnel.ReceiveAsync(ct).ConfigureAwait(false) is { } message)
                {
                    count++;
                    await tunnel.SendAsync(reply ?? message, ct).ConfigureAwait(false);
                }
                lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"tunnel {count} messages"));
            });
            await WriteAsync(output, $"host {host.Service} at {host.RequestUrl}", cancellationToken).ConfigureAwait(false);
            await foreach (string line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await WriteAsync(output, line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task RequestAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        string service = arguments.Required("--service");
        string data = arguments.Required("--data");
        int count = arguments.Count("--count") ?? 1;
        TimeSpan interval = arguments.Seconds("--interval") ?? TimeSpan.Zero;
        bool keepGoing = arguments.Switch("--keep-going");
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            for (int i = 1; i <= count; i++)
            {
                if (i > 1 && interval > TimeSpan.Zero)
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                }
                string line;
                try
                {
                    line = Encoding.UTF8.GetString(await client.RequestAsync(service, Numbered(data, i), cancellationToken).ConfigureAwait(false));
                }
                catch (SpNetException ex) when (keepGoing && !cancellationToken.IsCancellationRequested)
                {
                    // One line per request either way, so a reader can line up outcomes with request numbers.
                    line = $"error: {ex.Message.ReplaceLineEndings(" ")}";
                }
                await WriteAsync(output, line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task BroadcastAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            await client.BroadcastAsync(arguments.Required("--service"), Encoding.UTF8.GetBytes(arguments.Required("--data")), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task GatherAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            IReadOnlyList<GatherReply> replies = await client.GatherAsync(arguments.Required("--service"),
                Encoding.UTF8.GetBytes(arguments.Required("--data")), arguments.Seconds("--deadline") ?? TimeSpan.FromSeconds(1),
                cancellationToken).ConfigureAwait(false);
            foreach (GatherReply reply in replies)
            {
                string text = reply.Succeeded ? Encoding.UTF8.GetString(reply.Reply!) : $"error: {reply.Error}";
                await WriteAsync(output, $"{reply.Member.Address}\t{text}", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task PublishAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        string topic = arguments.Required("--topic");
        string data = arguments.Required("--data");
        int count = arguments.Count("--count") ?? 1;
        TimeSpan interval = arguments.Seconds("--interval") ?? TimeSpan.FromSeconds(0.1);
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            // PUB sends only to subscribers already connected: wait (bounded) for the first one to dial us.
            if (!await client.WaitForTopicSubscribersAsync(1, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false))
            {
                throw new SpNetException(SpError.TimedOut, $"topic '{topic}': no subscriber connected within 10 s");
            }
            for (int i = 0; i < count; i++)
            {
                if (i > 0)
                {
                    await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
                }
                await client.PublishAsync(topic, Numbered(data, i + 1), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task SubscribeAsync(DiscoveryArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        int limit = arguments.Count("--count") ?? int.MaxValue;
        var lines = System.Threading.Channels.Channel.CreateUnbounded<string>();
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            IAsyncDisposable subscription = await client.SubscribeAsync(arguments.Required("--topic"), (body, _) =>
            {
                lines.Writer.TryWrite(Encoding.UTF8.GetString(body));
                return ValueTask.CompletedTask;
            }, cancellationToken).ConfigureAwait(false);
            await using (subscription.ConfigureAwait(false))
            {
                int printed = 0;
                await foreach (string line in lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    await WriteAsync(output, line, cancellationToken).ConfigureAwait(false);
                    if (++printed >= limit)
                    {
                        break;
                    }
                }
            }
        }
    }

    private static async Task TunnelAsync(DiscoveryArguments arguments, TextWriter output, TextReader input, CancellationToken cancellationToken)
    {
        string? file = arguments.Optional("--file");
        using TextReader source = file is null ? TextReader.Null : new StreamReader(file);
        TextReader lines = file is null ? input : source;
        ServiceClient client = Client(arguments);
        await using (client.ConfigureAwait(false))
        {
            Tunnel tunnel = await client.OpenTunnelAsync(arguments.Required("--service"), cancellationToken).ConfigureAwait(false);
            await using (tunnel.ConfigureAwait(false))
            {
                Task sending = Task.Run(async () =>
                {
                    while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    {
                        await tunnel.SendAsync(Encoding.UTF8.GetBytes(line), cancellationToken).ConfigureAwait(false);
                    }
                    await tunnel.CompleteAsync(cancellationToken).ConfigureAwait(false);
                }, cancellationToken);
                while (await tunnel.ReceiveAsync(cancellationToken).ConfigureAwait(false) is { } back)
                {
                    await WriteAsync(output, Encoding.UTF8.GetString(back), cancellationToken).ConfigureAwait(false);
                }
                await sending.ConfigureAwait(false);
            }
        }
    }
}
