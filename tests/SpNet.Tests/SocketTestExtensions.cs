using SpNet.TestKit;

namespace SpNet.Tests;

/// <summary>Small bounded waits on SpNet sockets shared by the protocol and transport tests.</summary>
internal static class SocketTestExtensions
{
    /// <summary>Waits until the socket has exactly <paramref name="count"/> open pipes.</summary>
    public static Task WaitForPipeCountAsync(this Socket socket, int count, TimeSpan? timeout = null) =>
        Eventually.True(() => socket.Statistics.CurrentPipes == count, $"{socket} has {count} pipe(s) (now: {socket.Statistics})", timeout);

    /// <summary>Receives one message as text, bounded in time.</summary>
    public static async Task<string> ReceiveTextAsync(this Socket socket, TimeSpan? timeout = null)
    {
        using Message m = await Eventually.Within(socket.ReceiveAsync(), $"a message on {socket}", timeout);
        return m.ToString();
    }

    /// <summary>Sends UTF-8 text, bounded in time.</summary>
    public static Task SendTextAsync(this Socket socket, string text, TimeSpan? timeout = null) =>
        Eventually.Within(socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(text)), $"sending '{text}' on {socket}", timeout);

    /// <summary>
    /// One exchange both ways: <paramref name="socket"/> sends <paramref name="there"/>, which <paramref name="peer"/>
    /// must receive, and <paramref name="peer"/> answers <paramref name="back"/>, which <paramref name="socket"/> must
    /// receive (a request and its reply, or a ping and its pong), each bounded in time.
    /// </summary>
    public static async Task AssertExchangeAsync(this Socket socket, Socket peer, string there, string back)
    {
        await socket.SendTextAsync(there);
        Assert.Equal(there, await peer.ReceiveTextAsync());
        await peer.SendTextAsync(back);
        Assert.Equal(back, await socket.ReceiveTextAsync());
    }

    /// <summary>
    /// Listens on 127.0.0.1 (port 0) and connects a raw SP peer announcing <paramref name="protocol"/>, handshake done:
    /// the peer that tests a socket's handling of bad or odd traffic.
    /// </summary>
    public static async Task<RawSpPeer> ConnectRawPeerAsync(this Socket listener, ushort protocol)
    {
        var (peer, _) = await RawSpPeer.ConnectAndHandshakeAsync(listener.ListenTcp(), protocol);
        return peer;
    }

    /// <summary>Listens on 127.0.0.1, port 0, and returns the bound URL.</summary>
    public static string ListenTcp(this Socket socket) => socket.Listen(Addresses.TcpLoopback).Url;
}
