using System.Diagnostics;
using System.Globalization;
using SpNet.Bench.Harness;

namespace SpNet.Bench.Memory;

/// <summary>
/// <c>spbench memory</c>: what a stalled, idle or hostile peer costs the process serving it, SpNet against NNG, each
/// peer in its own process as deployed, measured as that process's resident set (VmRSS). The far side is raw SP
/// connections made by this process, identical for both libraries.
/// <list type="bullet">
/// <item><c>idle</c>: <c>spcat</c>/<c>nngcat --rep --listen</c>; N connections each send one request, get the reply, then
/// stay open and quiet: resident set per connection once settled.</item>
/// <item><c>stalled</c>: a PUB (spbench's publisher role on SpNet or on libnng) flooding messages of 64 KiB and 1 MiB for
/// a few seconds to N subscribers that connected and never read: peak resident set, and after they leave.</item>
/// <item><c>trickle</c>: <c>spcat</c>/<c>nngcat --pull --listen</c>; N connections each announce a ~1 MB message and send
/// 3 KiB of it, three times: resident set per connection of each batch.</item>
/// </list>
/// </summary>
internal sealed class MemoryCommand(TextWriter output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Batches of trickling connections: by the third the runtime has stopped compiling (see <see cref="Trickle"/>).</summary>
    private const int TrickleBatches = 3;


    // How long a peer is left alone before its memory is read: SpNet's sweeper returns grown buffers within ~2 s.
    private TimeSpan _settle = TimeSpan.FromSeconds(4);

    public int Run(string[] args)
    {
        string[] cases = Option(args, "--cases", "idle,stalled,trickle").Split(',');
        string[] libs = Option(args, "--lib", "spnet,nng").Split(',');
        string[] transports = Option(args, "--transport", "tcp,ipc,tls,ws").Split(',');
        int connections = int.Parse(Option(args, "--connections", "1000"), CultureInfo.InvariantCulture);
        int subscribers = int.Parse(Option(args, "--subs", "4"), CultureInfo.InvariantCulture);
        _settle = TimeSpan.FromSeconds(double.Parse(Option(args, "--settle", "4"), CultureInfo.InvariantCulture));
        output.WriteLine($"spbench memory: {Environment.ProcessorCount} cores, load {Load()}");
        if (cases.Contains("idle"))
        {
            output.WriteLine();
            output.WriteLine($"| idle pipes ({connections}, each carried one request) | transport | RSS before | RSS after | per pipe | threads |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (string transport in transports)
            {
                foreach (string lib in libs)
                {
                    Idle(lib, transport, connections);
                }
            }
        }
        if (cases.Contains("stalled"))
        {
            output.WriteLine();
            output.WriteLine($"| PUB flooding {subscribers} subscribers that never read, 5 s | size | RSS before | peak | after they left | messages published |");
            output.WriteLine("|---|---|---|---|---|---|");
            foreach (int size in (int[])[64 * 1024, 1024 * 1024])
            {
                foreach (string lib in libs)
                {
                    Stalled(lib, size, subscribers);
                }
            }
        }
        if (cases.Contains("trickle"))
        {
            int trickling = Math.Min(connections, 500);
            output.WriteLine();
            output.WriteLine($"| PULL, {TrickleBatches} × {trickling} connections announcing 1,000,000 B and sending 3 KiB of it | transport | RSS before | peak | per connection, first {trickling} | second | third |");
            output.WriteLine("|---|---|---|---|---|---|---|");
            foreach (string lib in libs)
            {
                Trickle(lib, "tcp", trickling); // a length header announces the size only on the stream transports
            }
        }
        output.WriteLine();
        output.WriteLine($"load after: {Load()}");
        return 0;
    }

    /// <summary>The hidden publisher role: <c>memory-pub LIB URL SIZE SECONDS</c>. Prints the bound URL, waits for "go", floods, prints the count.</summary>
    public static int Publish(string[] args, TextWriter output)
    {
        Library library = args[0] == "nng" ? Library.Nng : Library.SpNet;
        int size = int.Parse(args[2], CultureInfo.InvariantCulture);
        var seconds = TimeSpan.FromSeconds(double.Parse(args[3], CultureInfo.InvariantCulture));
        using BenchSocket pub = BenchSocket.Open(library, SocketKind.Pub);
        output.WriteLine(pub.Listen(args[1]));
        output.Flush();
        if (Console.In.ReadLine() != "go")
        {
            return 1;
        }
        byte[] body = new byte[size];
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < seconds)
        {
            pub.Send(body);
            sent++;
        }
        output.WriteLine(sent.ToString(CultureInfo.InvariantCulture));
        output.Flush();
        Console.In.ReadLine(); // until the parent is done measuring
        return 0;
    }

    private void Idle(string lib, string transport, int count)
    {
        string url = ListenUrl(transport);
        string tool = lib == "nng" ? "nngcat" : "spcat";
        using var certificate = transport == "tls" ? new PemCertificate() : null;
        string[] tls = certificate is null ? [] : ["--cert", certificate.CertificatePath, "--key", certificate.KeyPath];
        using PeerUnderTest peer = PeerUnderTest.StartCat(tool, ["--rep", "--listen", url, "--data", "pong", .. tls]);
        var open = new List<RawSpConnection>();
        try
        {
            // A few connections first, so lazily initialised runtime and library state is in the baseline.
            Connect(url, 10, open, request: true, pinned: certificate?.Thumbprint);
            Thread.Sleep(_settle);
            long before = ProcessMemory.ResidentKiB(peer.Id);
            long threadsBefore = ProcessMemory.Threads(peer.Id);
            Connect(url, count, open, request: true, pinned: certificate?.Thumbprint);
            Thread.Sleep(_settle);
            long after = ProcessMemory.ResidentKiB(peer.Id);
            output.WriteLine($"| {tool} | {transport} | {Mib(before)} | {Mib(after)} | {(after - before) / (double)count:0.0} KiB | {threadsBefore} → {ProcessMemory.Threads(peer.Id)} |");
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            Addresses.CleanUp(url);
        }
    }

    private void Stalled(string lib, int size, int subscribers)
    {
        string name = lib == "nng" ? "NNG 1.5.2 (libnng)" : "SpNet";
        using PeerUnderTest pub = PeerUnderTest.StartSelf(name, "memory-pub", lib, "tcp://127.0.0.1:0", size.ToString(CultureInfo.InvariantCulture), "5");
        string url = pub.ReadLine(Wait);
        var open = new List<RawSpConnection>();
        Connect(url, subscribers, open, request: false, protocol: 0x21);
        Thread.Sleep(_settle);
        using var memory = new ProcessMemory(pub.Id, TimeSpan.FromMilliseconds(20));
        long before = memory.CurrentKiB;
        memory.ResetPeak();
        pub.WriteLine("go");
        string sent = pub.ReadLine(Wait);
        long peak = memory.PeakKiB;
        open.ForEach(c => c.Dispose());
        Thread.Sleep(_settle);
        long after = memory.CurrentKiB;
        output.WriteLine($"| {name} | {size / 1024} KiB | {Mib(before)} | {Mib(peak)} | {Mib(after)} | {long.Parse(sent, CultureInfo.InvariantCulture):N0} |");
        pub.WriteLine("done");
    }

    private void Trickle(string lib, string transport, int count)
    {
        string url = ListenUrl(transport);
        string tool = lib == "nng" ? "nngcat" : "spcat";
        using PeerUnderTest peer = PeerUnderTest.StartCat(tool, "--pull", "--listen", url, "--raw");
        var open = new List<RawSpConnection>();
        try
        {
            // A few connections trickle first, so the code on that path, compiled on first use, is in the baseline.
            Connect(url, 10, open, request: false, protocol: 0x50);
            TrickleThreeKiB(open);
            Thread.Sleep(_settle);
            using var memory = new ProcessMemory(peer.Id, TimeSpan.FromMilliseconds(20));
            long before = memory.CurrentKiB;
            memory.ResetPeak();
            // Three batches of as many. The first two also pay for the runtime compiling the path again: .NET
            // recompiles a method, optimised (with an instrumented step between), once it has been called 30 times,
            // and the compiler's scratch memory stays with the process; here ~390 methods were recompiled during the
            // second batch and ~25 during the third. So the third batch's figure is what each further connection
            // costs; with DOTNET_TieredCompilation=0 (each method compiled once) every batch costs about that.
            var perConnection = new List<string>();
            long last = before;
            for (int batch = 0; batch < TrickleBatches; batch++)
            {
                TrickleBatch(url, count, open);
                long peak = memory.PeakKiB;
                perConnection.Add($"{(peak - last) / (double)count:0.0} KiB");
                last = peak;
            }
            output.WriteLine($"| {tool} | {transport} | {Mib(before)} | {Mib(last)} | {string.Join(" | ", perConnection)} |");
        }
        finally
        {
            open.ForEach(c => c.Dispose());
            Addresses.CleanUp(url);
        }
    }

    /// <summary>Opens <paramref name="count"/> connections that each trickle 3 KiB of a large frame, then lets the peer settle.</summary>
    private void TrickleBatch(string url, int count, List<RawSpConnection> open)
    {
        var trickling = new List<RawSpConnection>();
        Connect(url, count, trickling, request: false, protocol: 0x50);
        open.AddRange(trickling);
        TrickleThreeKiB(trickling);
        Thread.Sleep(_settle);
    }

    /// <summary>Each connection announces a 1,000,000-byte message and sends 3 KiB of it, one KiB every half second.</summary>
    private static void TrickleThreeKiB(List<RawSpConnection> connections)
    {
        byte[] kib = new byte[1024];
        foreach (RawSpConnection connection in connections)
        {
            connection.SendFrame(1_000_000, kib);
        }
        for (int round = 0; round < 2; round++)
        {
            Thread.Sleep(TimeSpan.FromMilliseconds(500));
            connections.ForEach(c => c.SendRaw(kib));
        }
    }

    /// <summary>Opens <paramref name="count"/> connections, retrying the first until the peer listens (bounded).</summary>
    private static void Connect(string url, int count, List<RawSpConnection> into, bool request, ushort protocol = 0x30, string? pinned = null)
    {
        var deadline = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            RawSpConnection connection;
            try
            {
                connection = RawSpConnection.Open(url, protocol, pinnedThumbprint: pinned);
            }
            catch (System.Net.Sockets.SocketException) when (into.Count == 0 && deadline.Elapsed < Wait)
            {
                Thread.Sleep(100); // the peer process is still starting
                i--;
                continue;
            }
            into.Add(connection);
            if (request)
            {
                connection.Request((uint)i + 1, "ping"u8);
            }
        }
    }

    private static string ListenUrl(string transport) => transport switch
    {
        "tcp" => $"tcp://127.0.0.1:{FreePort.Next()}",
        "ipc" => Addresses.For("ipc"),
        "tls" => $"tls+tcp://127.0.0.1:{FreePort.Next()}",
        "ws" => $"ws://127.0.0.1:{FreePort.Next()}/spbench",
        _ => throw new BenchException($"memory cases run over tcp, ipc, tls and ws, not '{transport}'"),
    };

    private static string Mib(long kib) => $"{kib / 1024.0:0.0} MiB";

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    private static string Option(string[] args, string name, string fallback)
    {
        int index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
