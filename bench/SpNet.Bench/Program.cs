using SpNet.Bench.Commands;
using SpNet.Bench.Harness;

namespace SpNet.Bench;

/// <summary>spbench: NNG perf's roles for SpNet, plus <c>compare</c> (SpNet vs NNG vs nanomsg) and scale cases.</summary>
internal static class Program
{
    public const string Usage = """
        usage: spbench ROLE [options] ARGS
          local_thr  URL SIZE COUNT      listen, receive COUNT messages, print throughput   (as NNG perf)
          remote_thr URL SIZE COUNT      dial, send COUNT(+1) messages of SIZE bytes          (as NNG perf)
          local_lat  URL SIZE TRIPS      listen, echo TRIPS messages                          (as NNG perf)
          remote_lat URL SIZE TRIPS      dial, time TRIPS round trips, print average latency  (as NNG perf)
          inproc_thr SIZE COUNT          both throughput roles in one process over inproc://
          inproc_lat SIZE TRIPS          both latency roles in one process over inproc://
          compare [--quick] [--out DIR]  SpNet vs NNG vs nanomsg matrix; writes DIR/benchmarks.md, DIR/img/throughput.svg
          fanout [--subs N] [--count M] [--size B] [--transport T] [--lib L]   1 PUB -> N SUB
          pubsub [--count M] [--size B] [--depth Q] [--rate R] [--transport T] [--lib L]   1 PUB -> 1 SUB, flooding or paced at R msg/s
          subs [--counts 1,1000,100000] [--count M] [--transport T] [--lib L]  SUB matching cost vs subscription count
          reqrep [--clients 1000] [--seconds S | --trips N] [--size 64] [--transport tcp] [--workers 16] [--sockets] [--lib L]
                                         C REQ clients (contexts on one REQ socket; --sockets: a socket each) -> 1 REP
                                         with W worker contexts echoing: round trips/s, p50/p99/p99.9, lost, mismatched
                                         (default 5 s; SpNet clients are async loops; nanomsg: n/a, it has no contexts)
        options (roles):
          -p pair0|pair1|push|pub|req    pattern (default pair1 when SpNet has PAIR1, else pair0)
          --lib spnet|spnet-async|nng|nanomsg   which implementation plays this role (default spnet)
          --url URL                      address for inproc_thr/inproc_lat
          -t SECONDS                     longest wait for any message (default 60)
        """;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command; returns the exit status (0 ok, 1 usage, 2 failure as perf's die()).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Length == 0 ? error : output).WriteLine(Usage);
            return args.Length == 0 ? 1 : 0;
        }
        // As perf: "-m ROLE" also picks the role.
        string[] rest = args[0] == "-m" && args.Length >= 2 ? args[2..] : args[1..];
        string role = args[0] == "-m" && args.Length >= 2 ? args[1] : args[0];
        try
        {
            var roles = new PerfRoles(output, error);
            switch (role)
            {
                case "local_thr": roles.LocalThroughput(Options(rest, error)); break;
                case "remote_thr": roles.RemoteThroughput(Options(rest, error)); break;
                case "local_lat": roles.LocalLatency(Options(rest, error)); break;
                case "remote_lat": roles.RemoteLatency(Options(rest, error)); break;
                case "inproc_thr": roles.InprocThroughput(Options(rest, error)); break;
                case "inproc_lat": roles.InprocLatency(Options(rest, error)); break;
                case "compare": return new CompareCommand(output, error).Run(rest);
                case "fanout": return new ScaleCommands(output, error).FanOut(rest);
                case "pubsub": return new ScaleCommands(output, error).PubSub(rest);
                case "subs": return new ScaleCommands(output, error).Subscriptions(rest);
                case "reqrep": return new ScaleCommands(output, error).ReqRep(rest);
                default:
                    error.WriteLine($"Unknown program mode '{role}'.");
                    error.WriteLine(Usage);
                    return 1;
            }
            return 0;
        }
        catch (BenchException ex)
        {
            error.WriteLine(ex.Message);
            return 2;
        }
    }

    private static PerfOptions Options(string[] args, TextWriter error)
    {
        PerfOptions options = PerfOptions.Parse(args);
        if (!options.PatternGiven && !SpNetBenchSocket.HasPair1 && options.Library is Library.SpNet or Library.SpNetAsync)
        {
            error.WriteLine("note: SpNet has no PAIR1 yet; using PAIR0 (NNG perf defaults to PAIR1: run its peer with -p pair0 or --pair0)");
        }
        if (!options.PatternGiven && options.Library == Library.Nanomsg)
        {
            return PerfOptions.Parse([.. args, "-p", "pair0"]);
        }
        return options;
    }
}
