using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// One of the *cat command-line peers with its flag dialect: nngcat and spcat (nngcat-compatible) use
/// <c>--listen/--dial/--pair0</c> and have <c>--count</c>; nanocat uses <c>--bind/--connect/--pair</c> and has no count.
/// </summary>
internal sealed class Cat
{
    private Cat(PeerTool tool, bool isNanocat)
    {
        Tool = tool;
        IsNanocat = isNanocat;
    }

    public PeerTool Tool { get; }

    public string Name => Tool.Name;

    public bool IsNanocat { get; }

    /// <summary>nanocat has no <c>--count</c>; its receivers run until killed.</summary>
    public bool HasCount => !IsNanocat;

    public string ListenFlag => IsNanocat ? "--bind" : "--listen";

    public string DialFlag => IsNanocat ? "--connect" : "--dial";

    public string PairFlag => IsNanocat ? "--pair" : "--pair0";

    /// <summary>nanocat names it <c>--bus</c>; nngcat 1.5.2 takes <c>--bus0</c> though its help omits it.</summary>
    public string BusFlag => IsNanocat ? "--bus" : "--bus0";

    /// <summary>The peer named <paramref name="name"/>; fails with an install hint when it is missing.</summary>
    public static Cat For(string name) => new(Peers.Require(name), name == Peers.NanoCat);

    /// <summary><c>--count N</c> where the peer has it, nothing otherwise.</summary>
    public string[] Count(int count) => HasCount ? ["--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];

    public PeerProcess Start(params string[] arguments) => PeerProcess.Start(Tool, TimeSpan.FromSeconds(30), arguments);

    public override string ToString() => Name;
}
