using System.Net.Security;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Hostile;

/// <summary>Raw byte streams to a listening SpNet socket over tcp, ipc and tls, for writing hostile bytes.</summary>
internal static class RawStreams
{
    public static async Task<Stream> ConnectAsync(string scheme, string url)
    {
        switch (scheme)
        {
            case "tcp":
            {
                RawSpPeer peer = await RawSpPeer.ConnectAsync(url);
                return new NetworkStream(peer.Socket, ownsSocket: true);
            }
            case "ipc":
            {
                var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(url["ipc://".Length..])).WaitAsync(Eventually.DefaultTimeout);
                return new NetworkStream(socket, ownsSocket: true);
            }
            case "tls":
            {
                RawSpPeer peer = await RawSpPeer.ConnectAsync(url.Replace("tls+tcp://localhost", "tcp://127.0.0.1", StringComparison.Ordinal));
#pragma warning disable CA5359 // a hostile test client: it must reach the listener whatever it presents
                var ssl = new SslStream(new NetworkStream(peer.Socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
                await ssl.AuthenticateAsClientAsync("localhost").WaitAsync(Eventually.DefaultTimeout);
                return ssl;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme));
        }
    }

    /// <summary>Reads until EOF or an error; true if the remote end closed within <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForCloseAsync(Stream stream, TimeSpan timeout)
    {
        byte[] sink = new byte[4096];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await stream.ReadAsync(sink, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            return true;
        }
    }
}
