using SpNet.Bench.Commands;
using SpNet.Bench.Harness;

namespace SpNet.Bench;

/// <summary>spbench: NNG perf's roles for SpNet, plus <c>compare</c> (SpNet vs NNG vs nanomsg vs NetMQ, two processes per case) and its cases one at a time.</summary>
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
          compare [--quick] [--lib L,...] [--one-process] [--out DIR]
                                         SpNet vs NNG vs nanomsg vs NetMQ, each side in its own process (inproc: one);
                                         writes DIR/benchmarks.md, DIR/img/throughput.svg, DIR/img/latency-by-count.svg
          fanout [--subs N] [--processes P] [--count M] [--size B] [--transport T] [--lib L]
                                         1 PUB -> N SUB, the SUBs spread over P processes (default 4)
          pubsub [--count M] [--size B] [--depth Q] [--rate R] [--transport T] [--lib L]   1 PUB -> 1 SUB, flooding or paced at R msg/s
          subs [--counts 1,1000,100000] [--count M] [--transport T] [--lib L]  a SUB holding N subscriptions
          reqrep [--clients 1000] [--seconds S | --trips N] [--size 64] [--transport tcp] [--workers 16] [--sockets] [--lib L]
                                         C REQ clients (contexts on one REQ socket; --sockets: a socket each) -> 1 REP
                                         with W worker contexts echoing: round trips/s, p50/p99/p99.9, lost, mismatched
                                         (default 5 s; SpNet clients are async loops; nanomsg, NetMQ: n/a, no contexts)
          (fanout, pubsub, subs, reqrep: each side in its own process; --one-process puts them in one)
          memory [--cases idle,stalled,trickle] [--connections 1000] [--subs 4] [--transport tcp,ipc,tls,ws] [--settle 4] [--lib spnet,nng]
                                         resident memory of a process serving idle, stalled or trickling peers:
                                         spcat vs nngcat (idle, trickle), SpNet vs libnng PUB (stalled)
        options (roles):
          -p pair0|pair1|push|pub|req    pattern (default pair1 as NNG's perf; nanomsg and NetMQ: pair0)
          --lib spnet|spnet-async|nng|nanomsg|netmq   which implementation plays this role (default spnet)
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
                case "local_thr": roles.LocalThroughput(Options(rest)); break;
                case "remote_thr": roles.RemoteThroughput(Options(rest)); break;
                case "local_lat": roles.LocalLatency(Options(rest)); break;
                case "remote_lat": roles.RemoteLatency(Options(rest)); break;
                case "inproc_thr": roles.InprocThroughput(Options(rest)); break;
                case "inproc_lat": roles.InprocLatency(Options(rest)); break;
                case "compare": return new CompareCommand(output, error).Run(rest);
                case "fanout": return new ScaleCommands(output, error).FanOut(rest);
                case "pubsub": return new ScaleCommands(output, error).PubSub(rest);
                case "subs": return new ScaleCommands(output, error).Subscriptions(rest);
                case "reqrep": return new ScaleCommands(output, error).ReqRep(rest);
                case "side": return SideCommand.Run(rest, output, error);
                case "memory": return new Memory.MemoryCommand(output).Run(rest);
                case "memory-pub": return Memory.MemoryCommand.Publish(rest, output);
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

    private static PerfOptions Options(string[] args)
    {
        PerfOptions options = PerfOptions.Parse(args);
        if (!options.PatternGiven && options.Library is Library.Nanomsg or Library.NetMQ)
        {
            return PerfOptions.Parse([.. args, "-p", "pair0"]);
        }
        return options;
    }
}
