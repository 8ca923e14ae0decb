using SpNet.TestKit;

namespace SpNet.Tests;

/// <summary>
/// What the protocol and transport tests do again and again, once: bounded sends, receives and waits on sockets, the
/// listen-dial-wait set-up, raw peers with a checked handshake, and the checks that a listener still serves, a dial is
/// refused, or a send with no peer waits or times out.
/// </summary>
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
    public static Task<RawSpPeer> ConnectRawPeerAsync(this Socket listener, ushort protocol) =>
        listener.ConnectRawPeerAsync(listener.ListenTcp(), protocol);

    /// <summary>
    /// Connects a raw SP peer announcing <paramref name="protocol"/> to <paramref name="url"/>, where
    /// <paramref name="listener"/> listens, and checks that the listener's half of the handshake names its own protocol.
    /// </summary>
    public static async Task<RawSpPeer> ConnectRawPeerAsync(this Socket listener, string url, ushort protocol)
    {
        var (peer, header) = await RawSpPeer.ConnectAndHandshakeAsync(url, protocol);
        try
        {
            Assert.Equal(RawSpPeer.Header(listener.ProtocolId), header);
        }
        catch
        {
            peer.Dispose();
            throw;
        }
        return peer;
    }

    /// <summary>
    /// A fresh PUSH peer (over TLS with <paramref name="tls"/> when given) dials <paramref name="url"/>, bounded in time,
    /// and <paramref name="text"/> it sends must reach <paramref name="pull"/> (within <paramref name="timeout"/> when given): the listener still serves a good peer
    /// after whatever the test did to it.
    /// </summary>
    public static async Task AssertPushReachesAsync(this Socket pull, string url, string text, TlsOptions? tls = null, TimeSpan? timeout = null)
    {
        await using var push = new PushSocket { Tls = tls };
        await Eventually.Within(push.DialAsync(url).AsTask(), $"a good peer dialing {url}");
        await push.SendTextAsync(text);
        Assert.Equal(text, await pull.ReceiveTextAsync(timeout));
    }

    /// <summary>
    /// Listens with <paramref name="listener"/> on 127.0.0.1 (port 0), dials it from each of <paramref name="dialers"/>
    /// and waits until the listener has that many pipes: the set-up of a test that needs its peers connected first.
    /// </summary>
    public static async Task<string> ConnectTcpAsync(this Socket listener, params Socket[] dialers)
    {
        string url = listener.ListenTcp();
        foreach (Socket dialer in dialers)
        {
            dialer.Dial(url);
        }
        await listener.WaitForPipeCountAsync(dialers.Length);
        return url;
    }

    /// <summary>
    /// A fresh PUSH (over TLS with <paramref name="tls"/> when given) dials <paramref name="url"/> and must be refused,
    /// within the usual bound, with <paramref name="error"/> and a message naming <paramref name="cause"/>; returns the
    /// refusal for further checks.
    /// </summary>
    public static async Task<SpNetException> AssertDialRefusedAsync(string url, SpError error, string cause, TlsOptions? tls = null)
    {
        await using var push = new PushSocket { Tls = tls };
        var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(push.DialAsync(url).AsTask(), "dial"));
        Assert.Equal(error, ex.Error);
        Assert.Contains(cause, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    /// <summary>
    /// A send with no peer to take it fails with <see cref="SpError.TimedOut"/> once the socket's send timeout passes: not
    /// before <paramref name="notBefore"/> (the timeout less timer slack) and, when given, not after
    /// <paramref name="notAfter"/>; the whole wait is bounded by <paramref name="bound"/> (3 s unless given).
    /// </summary>
    public static async Task AssertSendTimesOutAsync(this Socket socket, TimeSpan notBefore, TimeSpan? notAfter = null, TimeSpan? bound = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => socket.SendAsync("unsent"u8.ToArray()).AsTask().WaitAsync(bound ?? TimeSpan.FromSeconds(3)));
        TimeSpan waited = clock.Elapsed;
        Assert.Equal(SpError.TimedOut, ex.Error);
        Assert.True(waited >= notBefore && waited <= (notAfter ?? TimeSpan.MaxValue), $"gave up after {waited.TotalMilliseconds} ms");
    }

    /// <summary>
    /// A send made while <paramref name="sender"/> has no peer waits for one and goes out once <paramref name="receiver"/>
    /// is connected over inproc: the sender dials after the receiver listens, or (<paramref name="dialFirst"/>) before,
    /// redialing in the background until it does.
    /// </summary>
    public static async Task AssertSendWaitsForAPeerAsync(this Socket sender, Socket receiver, string text, bool dialFirst)
    {
        string url = Addresses.Inproc("waiting-send");
        Task send = sender.SendAsync(System.Text.Encoding.UTF8.GetBytes(text)).AsTask();
        Assert.False(send.IsCompleted);
        if (dialFirst)
        {
            sender.Dial(url);
            receiver.Listen(url);
        }
        else
        {
            receiver.Listen(url);
            sender.Dial(url);
        }
        await Eventually.Within(send, "the waiting send completes once a peer connects");
        Assert.Equal(text, await receiver.ReceiveTextAsync());
    }

    /// <summary>Listens on 127.0.0.1, port 0, and returns the bound URL.</summary>
    public static string ListenTcp(this Socket socket) => socket.Listen(Addresses.TcpLoopback).Url;
}
