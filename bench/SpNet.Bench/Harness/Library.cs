namespace SpNet.Bench.Harness;

/// <summary>An SP implementation the harness can drive.</summary>
internal enum Library
{
    /// <summary>SpNet through its blocking wrappers (<c>Send</c>/<c>Receive</c>) on dedicated threads, as the native libraries are driven.</summary>
    SpNet,

    /// <summary>SpNet through <c>SendAsync</c>/<c>ReceiveAsync</c> (continuations on the thread pool).</summary>
    SpNetAsync,

    /// <summary>NNG 1.5.2 through <c>libnng.so.1</c>.</summary>
    Nng,

    /// <summary>nanomsg 1.1.5 through <c>libnanomsg.so.5</c>.</summary>
    Nanomsg,

    /// <summary>NetMQ 4.0.4.5, the pure-C# ZeroMQ port (ZeroMQ's own wire, ZMTP), from NuGet.</summary>
    NetMQ,
}

/// <summary>One socket type, as the wire names it.</summary>
internal enum SocketKind
{
    Pair0,
    Pair1,
    Push,
    Pull,
    Pub,
    Sub,
    Req,
    Rep,
}

/// <summary>A pattern as <c>-p</c> names it: which socket the local (listening) and remote (dialing) sides open.</summary>
internal enum Pattern
{
    Pair0,
    Pair1,
    Push,
    Pub,
    Req,
}
