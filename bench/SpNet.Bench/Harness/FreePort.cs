using System.Net;
using System.Net.Sockets;

namespace SpNet.Bench.Harness;

/// <summary>
/// A loopback TCP port that was free a moment ago, for a library that cannot listen on port 0 and report the port
/// (nanomsg). Drawn at random below the kernel's ephemeral range, so outgoing connections do not take it meanwhile.
/// </summary>
internal static class FreePort
{
    public static int Next()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(20000, 32000);
            try
            {
                using var probe = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // taken; try another
            }
        }
        throw new BenchException("no free TCP port found on 127.0.0.1 in 20000-32000");
    }
}
