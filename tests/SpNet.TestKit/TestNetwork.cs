using System.Net;
using System.Net.Sockets;

namespace SpNet.TestKit;

/// <summary>Loopback helpers for tests: never a fixed port, never an address other than 127.0.0.1.</summary>
public static class TestNetwork
{
    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read back, released), for an external
    /// process that must listen itself. Prefer <c>Listen("tcp://127.0.0.1:0")</c> whenever SpNet listens.
    /// </summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary><c>tcp://127.0.0.1:PORT</c> on a <see cref="FreePort"/>.</summary>
    public static string FreeTcpUrl() => $"tcp://127.0.0.1:{FreePort()}";
}
