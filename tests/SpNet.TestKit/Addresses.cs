using System.Net;
using Xunit;

namespace SpNet.TestKit;

/// <summary>Test addresses: loopback only, port 0 (read the real port back from the listener), unique inproc names.</summary>
public static class Addresses
{
    private static int s_inproc;

    /// <summary><c>tcp://127.0.0.1:0</c>.</summary>
    public const string TcpLoopback = "tcp://127.0.0.1:0";

    /// <summary>The transports a test runs over when its point holds for any: in-process and loopback tcp.</summary>
    public static TheoryData<string> InprocAndTcp => new() { "inproc", "tcp" };

    /// <summary>A fresh address on <paramref name="transport"/> (one of <see cref="InprocAndTcp"/>): a unique inproc name, or tcp on port 0.</summary>
    public static string For(string transport, string hint = "t") => transport switch
    {
        "inproc" => Inproc(hint),
        "tcp" => TcpLoopback,
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, "inproc or tcp"),
    };

    /// <summary>A fresh inproc address, unique within the process.</summary>
    public static string Inproc(string hint = "t") => $"inproc://{hint}-{Environment.ProcessId}-{Interlocked.Increment(ref s_inproc)}";

    /// <summary>A fresh socket-file path in the temp directory (well under the 107-byte <c>sun_path</c> limit); the caller deletes it.</summary>
    public static string IpcPath(string hint = "t") => Path.Combine(Path.GetTempPath(), $"spnet-{hint}-{Guid.NewGuid():N}.sock");

    /// <summary>A fresh address on each stream transport, tcp (port 0) and ipc (a new socket file), for the framing they share.</summary>
    public static TheoryData<string> StreamTransports(string hint = "t") => new() { TcpLoopback, "ipc://" + IpcPath(hint) };

    /// <summary>A fresh Linux abstract-namespace address, unique across processes.</summary>
    public static string Abstract(string hint = "t") => $"abstract://spnet-{hint}-{Guid.NewGuid():N}";

    /// <summary>The endpoint a bound <c>tcp://host:port</c> URL names (IPv4 or bracketed IPv6 literal).</summary>
    public static IPEndPoint EndPointOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var uri = new Uri(url.Replace("tcp://", "http://", StringComparison.Ordinal));
        return new IPEndPoint(IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port);
    }

    /// <summary>The port of a bound <c>tcp://</c> URL.</summary>
    public static int PortOf(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return int.Parse(url[(url.LastIndexOf(':') + 1)..].Split('/')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
