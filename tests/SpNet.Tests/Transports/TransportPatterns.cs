using SpNet.TestKit;

namespace SpNet.Tests.Transports;

/// <summary>
/// Runs every pattern (PAIR0, PUSH/PULL, PUB/SUB, REQ/REP) over one transport: one socket listens on a fresh address, the
/// other dials it, and messages go each way the pattern allows. The pull, subscriber, replier and first pair socket
/// listen, unless <paramref name="reversed"/> makes their peers listen instead. Shared by the tcp, ipc, abstract and ws
/// tests and by SecuredPatternTests (tls+tcp, wss).
/// </summary>
internal sealed class TransportPatterns(Func<string> newAddress, Action<Socket, bool>? configure = null, bool reversed = false)
{
    /// <summary>The patterns <see cref="RunAsync"/> runs, one theory row each.</summary>
    public static TheoryData<string> Names => ["Pair", "PushPull", "PubSub", "ReqRep"];

    /// <summary>Runs the pattern <paramref name="name"/> (one of <see cref="Names"/>).</summary>
    public Task RunAsync(string name) => name switch
    {
        "Pair" => PairAsync(),
        "PushPull" => PushPullAsync(),
        "PubSub" => PubSubAsync(),
        "ReqRep" => ReqRepAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a pattern"),
    };

    /// <summary>
    /// Listens on a fresh address with <paramref name="listener"/> (with <paramref name="dialer"/> when reversed) and
    /// dials it with the other; returns once both ends have the pipe.
    /// </summary>
    public async Task ConnectAsync(Socket listener, Socket dialer)
    {
        if (reversed)
        {
            (listener, dialer) = (dialer, listener);
        }
        configure?.Invoke(listener, true);
        configure?.Invoke(dialer, false);
        string url = listener.Listen(newAddress()).Url;
        await Eventually.Within(dialer.DialAsync(url).AsTask(), $"dialing {url}");
        await listener.WaitForPipeCountAsync(1);
        await dialer.WaitForPipeCountAsync(1);
    }

    public async Task PairAsync()
    {
        await using var a = new PairSocket();
        await using var b = new PairSocket();
        await ConnectAsync(a, b);
        await b.AssertExchangeAsync(a, "to listener", "to dialer");
    }

    public async Task PushPullAsync()
    {
        await using var pull = new PullSocket();
        await using var push = new PushSocket();
        await ConnectAsync(pull, push);
        for (int i = 0; i < 20; i++)
        {
            await push.SendTextAsync($"m{i}");
        }
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"m{i}", await pull.ReceiveTextAsync());
        }
    }

    public async Task PubSubAsync()
    {
        await using var pub = new PubSocket();
        await using var sub = new SubSocket();
        sub.Subscribe("news");
        await ConnectAsync(pub, sub);
        await pub.SendTextAsync("sport: no");
        await pub.SendTextAsync("news: yes");
        Assert.Equal("news: yes", await sub.ReceiveTextAsync());
    }

    public async Task ReqRepAsync()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        await ConnectAsync(rep, req);
        for (int i = 0; i < 5; i++)
        {
            await req.SendTextAsync($"q{i}");
            Assert.Equal($"q{i}", await rep.ReceiveTextAsync());
            await rep.SendTextAsync($"a{i}");
            Assert.Equal($"a{i}", await req.ReceiveTextAsync());
        }
    }

    /// <summary>A <paramref name="size"/>-byte message with a position-dependent pattern arrives byte for byte.</summary>
    public async Task LargeMessageAsync(int size)
    {
        await using var pull = new PullSocket { MaxReceiveSize = size + 1024 };
        await using var push = new PushSocket();
        await ConnectAsync(pull, push);
        byte[] payload = new byte[size];
        for (int i = 0; i < size; i++)
        {
            payload[i] = (byte)((i * 31) ^ (i >> 11));
        }
        await Eventually.Within(push.SendAsync(payload).AsTask(), "sending the large message", TimeSpan.FromSeconds(20));
        using Message received = await Eventually.Within(pull.ReceiveAsync().AsTask(), "the large message", TimeSpan.FromSeconds(20));
        Assert.Equal(size, received.Length);
        Assert.True(received.Body.SequenceEqual(payload), "the large message arrived altered");
    }
}
