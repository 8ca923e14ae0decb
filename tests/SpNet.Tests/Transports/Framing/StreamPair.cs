using System.Net;
using System.Net.Sockets;

namespace SpNet.Tests.Transports.Framing;

/// <summary>Two connected loopback TCP streams, for testing stream-level code without a socket layer.</summary>
internal static class StreamPair
{
    public static (NetworkStream A, NetworkStream B) Create()
    {
        using var listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        System.Net.Sockets.Socket server = listener.Accept();
        return (new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }
}
