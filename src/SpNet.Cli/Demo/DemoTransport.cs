using System.Globalization;

namespace SpNet.Cli.Demo;

/// <summary>One transport the demo runs every pattern over, and how to make a fresh address on it.</summary>
internal sealed class DemoTransport
{
    private static int s_inprocSequence;

    private DemoTransport(string name) => Name = name;

    /// <summary>In-process: message objects move between sockets, no bytes, no kernel.</summary>
    public static DemoTransport Inproc { get; } = new("inproc");

    /// <summary>TCP loopback on an ephemeral port, so demos never collide with each other or with other software.</summary>
    public static DemoTransport Tcp { get; } = new("tcp");

    /// <summary>Both, in the order the table shows them.</summary>
    public static IReadOnlyList<DemoTransport> All { get; } = [Inproc, Tcp];

    /// <summary>The transport's URL scheme, shown in the table.</summary>
    public string Name { get; }

    /// <summary>
    /// Binds <paramref name="socket"/> to a new address and returns the URL peers should dial (with the real port
    /// for tcp). Inproc names carry the process id and a counter so two demos in one process never share a name.
    /// </summary>
    public string Listen(Socket socket, string pattern)
    {
        ArgumentNullException.ThrowIfNull(socket);
        string url = this == Tcp
            ? "tcp://127.0.0.1:0"
            : string.Create(CultureInfo.InvariantCulture, $"inproc://spcat-demo-{pattern}-{Environment.ProcessId}-{Interlocked.Increment(ref s_inprocSequence)}");
        return socket.Listen(url).Url;
    }
}
