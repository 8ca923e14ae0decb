namespace SpNet.Bench.Harness;

/// <summary>Maps patterns and library names to socket kinds and back.</summary>
internal static class Patterns
{
    /// <summary>The socket the receiving side of a throughput run opens (local_thr).</summary>
    public static SocketKind ThroughputReceiver(Pattern pattern) => pattern switch
    {
        Pattern.Pair0 => SocketKind.Pair0,
        Pattern.Pair1 => SocketKind.Pair1,
        Pattern.Push => SocketKind.Pull,
        Pattern.Pub => SocketKind.Sub,
        _ => throw new BenchException($"-p {Name(pattern)} does not measure throughput (use pair0, pair1, push or pub)"),
    };

    /// <summary>The socket the sending side of a throughput run opens (remote_thr).</summary>
    public static SocketKind ThroughputSender(Pattern pattern) => pattern switch
    {
        Pattern.Pair0 => SocketKind.Pair0,
        Pattern.Pair1 => SocketKind.Pair1,
        Pattern.Push => SocketKind.Push,
        Pattern.Pub => SocketKind.Pub,
        _ => throw new BenchException($"-p {Name(pattern)} does not measure throughput (use pair0, pair1, push or pub)"),
    };

    /// <summary>The echoing side of a latency run (local_lat).</summary>
    public static SocketKind LatencyServer(Pattern pattern) => pattern switch
    {
        Pattern.Pair0 => SocketKind.Pair0,
        Pattern.Pair1 => SocketKind.Pair1,
        Pattern.Req => SocketKind.Rep,
        _ => throw new BenchException($"-p {Name(pattern)} does not measure latency (use pair0, pair1 or req)"),
    };

    /// <summary>The pinging side of a latency run (remote_lat).</summary>
    public static SocketKind LatencyClient(Pattern pattern) => pattern switch
    {
        Pattern.Pair0 => SocketKind.Pair0,
        Pattern.Pair1 => SocketKind.Pair1,
        Pattern.Req => SocketKind.Req,
        _ => throw new BenchException($"-p {Name(pattern)} does not measure latency (use pair0, pair1 or req)"),
    };

    /// <summary>True when the pattern has a way back from receiver to sender (the end-of-run synchronisation message).</summary>
    public static bool IsBidirectional(Pattern pattern) => pattern is Pattern.Pair0 or Pattern.Pair1 or Pattern.Req;

    /// <summary>PAIR1, as NNG's perf (nanomsg has only PAIR0: its roles default to that).</summary>
    public const Pattern DefaultPattern = Pattern.Pair1;

    public static Pattern Parse(string name) => name.ToUpperInvariant() switch
    {
        "PAIR0" => Pattern.Pair0,
        "PAIR1" or "PAIR" => Pattern.Pair1,
        "PUSH" or "PIPELINE0" or "PUSHPULL" => Pattern.Push,
        "PUB" or "PUBSUB0" or "PUBSUB" => Pattern.Pub,
        "REQ" or "REQREP0" or "REQREP" => Pattern.Req,
        _ => throw new BenchException($"unknown pattern '{name}' (pair0, pair1, push, pub, req)"),
    };

    /// <summary>True for the libraries running in the CLR (their sides run async loops or dedicated threads the same way).</summary>
    public static bool IsSpNet(Library library) => library is Library.SpNet or Library.SpNetAsync;

    public static string Name(Pattern pattern) => pattern.ToString().ToLowerInvariant();

    public static Library ParseLibrary(string name) => name.ToUpperInvariant() switch
    {
        "SPNET" or "SPNET-SYNC" => Library.SpNet,
        "SPNET-ASYNC" => Library.SpNetAsync,
        "NNG" => Library.Nng,
        "NANOMSG" or "NN" => Library.Nanomsg,
        "NETMQ" => Library.NetMQ,
        _ => throw new BenchException($"unknown library '{name}' (spnet, spnet-async, nng, nanomsg, netmq)"),
    };

    public static string DisplayName(Library library) => library switch
    {
        Library.SpNet => "SpNet (sync)",
        Library.SpNetAsync => "SpNet (async)",
        Library.Nng => "NNG 1.5.2",
        Library.Nanomsg => "nanomsg 1.1.5",
        Library.NetMQ => "NetMQ 4.0.4.5",
        _ => library.ToString(),
    };
}
