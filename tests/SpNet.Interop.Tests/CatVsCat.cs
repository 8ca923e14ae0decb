using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// Exchanges between two *cat processes (spcat against nngcat or nanocat), with the same flags on both sides.
/// The listening process always starts first and is probed until it accepts, because nngcat's (and spcat's)
/// dial is synchronous and fails when refused. Senders that must run several times (one message each, so every
/// message is distinct) are started one after another.
/// </summary>
internal static class CatVsCat
{
    private static readonly TimeSpan Timeout = Messages.Timeout;

    /// <summary>PAIR0 (or PAIR1 with <paramref name="protocolFlag"/> <c>--pair1</c>): each side sends its --data once; each must print the other's.</summary>
    public static async Task PairAsync(Cat listener, Cat dialer, string? protocolFlag = null)
    {
        (string listenUrl, int port) = Address();
        await using PeerProcess a = listener.Start(protocolFlag ?? listener.PairFlag, listener.ListenFlag, listenUrl, "--data", $"from-{listener.Name}-listener", "-Q");
        await TestNetwork.WaitUntilListeningAsync(port, Timeout, a);
        await using PeerProcess b = dialer.Start(protocolFlag ?? dialer.PairFlag, dialer.DialFlag, listenUrl, "--data", $"from-{dialer.Name}-dialer", "-Q");

        await a.ExpectMessagesAsync([$"from-{dialer.Name}-dialer"]);
        await b.ExpectMessagesAsync([$"from-{listener.Name}-listener"]);
    }

    /// <summary>PUSH to PULL. The receiver listening gets three distinct one-shot senders; a listening sender repeats its --data.</summary>
    public static async Task PushPullAsync(Cat pusher, Cat puller, bool pusherListens)
    {
        (string url, int port) = Address();
        if (!pusherListens)
        {
            string[] sent = Messages.Numbered($"push-by-{pusher.Name}", 3);
            await using PeerProcess pull = puller.Start(["--pull", puller.ListenFlag, url, "-Q", .. puller.Count(sent.Length)]);
            await TestNetwork.WaitUntilListeningAsync(port, Timeout, pull);
            foreach (string text in sent)
            {
                await using PeerProcess push = pusher.Start("--push", pusher.DialFlag, url, "--data", text);
                await push.WaitForSuccessAsync();
            }
            // Each sender is its own connection: SP orders messages per pipe only, so any order is correct.
            await pull.ExpectMessagesInAnyOrderAsync(sent);
            if (puller.HasCount)
            {
                await pull.WaitForSuccessAsync();
            }
        }
        else
        {
            const int count = 2;
            string data = $"push-by-{pusher.Name}";
            await using PeerProcess push = pusher.Start(["--push", pusher.ListenFlag, url, "--data", data, "--interval", "1", .. pusher.Count(count)]);
            await TestNetwork.WaitUntilListeningAsync(port, Timeout, push);
            await using PeerProcess pull = puller.Start(["--pull", puller.DialFlag, url, "-Q", .. puller.Count(count)]);
            await pull.ExpectMessagesAsync(Enumerable.Repeat(data, count));
            if (puller.HasCount)
            {
                await pull.WaitForSuccessAsync();
            }
        }
    }

    /// <summary>
    /// BUS: both sides repeat their --data every second (a BUS drops what it sends while it has no peer); each must
    /// print the other's message at least twice and never its own (a bus never sends a message back to its sender).
    /// </summary>
    public static async Task BusAsync(Cat listener, Cat dialer)
    {
        (string url, int port) = Address();
        string fromListener = $"bus-from-{listener.Name}-listener";
        string fromDialer = $"bus-from-{dialer.Name}-dialer";
        await using PeerProcess a = listener.Start(listener.BusFlag, listener.ListenFlag, url, "--data", fromListener, "--interval", "1", "-Q");
        await TestNetwork.WaitUntilListeningAsync(port, Timeout, a);
        await using PeerProcess b = dialer.Start(dialer.BusFlag, dialer.DialFlag, url, "--data", fromDialer, "--interval", "1", "-Q");

        await ExpectOnlyAsync(a, fromDialer, 2);
        await ExpectOnlyAsync(b, fromListener, 2);
    }

    /// <summary>Waits for at least <paramref name="count"/> printed messages, all of them <paramref name="text"/>.</summary>
    private static async Task ExpectOnlyAsync(PeerProcess process, string text, int count)
    {
        IReadOnlyList<string> lines = await process.WaitForLinesAsync(count);
        Assert.All(QuotedFormat.DecodeAll(lines), line => Assert.Equal(text, line));
    }

    /// <summary>PUB to SUB: the publisher repeats every second; the subscriber must print it twice, topic-filtered.</summary>
    public static async Task PubSubAsync(Cat publisher, Cat subscriber, bool publisherListens)
    {
        const int count = 2;
        (string url, int port) = Address();
        string data = $"weather-by-{publisher.Name}";
        string[] pubArgs = ["--pub", "--data", data, "--interval", "1"];
        string[] subArgs = ["--sub", "--subscribe", "weather", "-Q", .. subscriber.Count(count)];

        await using PeerProcess first = publisherListens
            ? publisher.Start([.. pubArgs, publisher.ListenFlag, url])
            : subscriber.Start([.. subArgs, subscriber.ListenFlag, url]);
        await TestNetwork.WaitUntilListeningAsync(port, Timeout, first);
        await using PeerProcess second = publisherListens
            ? subscriber.Start([.. subArgs, subscriber.DialFlag, url])
            : publisher.Start([.. pubArgs, publisher.DialFlag, url]);
        PeerProcess sub = publisherListens ? second : first;

        await sub.ExpectMessagesAsync(Enumerable.Repeat(data, count));
        if (subscriber.HasCount)
        {
            await sub.WaitForSuccessAsync();
        }
    }

    /// <summary>
    /// REQ to REP: three one-shot requesters, each sending a distinct request and printing the reply. When the
    /// requesters listen they take turns on one port and the replier's dialer reconnects to each.
    /// </summary>
    public static async Task ReqRepAsync(Cat requester, Cat replier, bool requesterListens)
    {
        (string url, int port) = Address();
        string reply = $"pong-by-{replier.Name}";
        string[] requests = Messages.Numbered($"ping-by-{requester.Name}", 3);
        PeerProcess? rep = null;
        try
        {
            if (!requesterListens)
            {
                rep = replier.Start(["--rep", replier.ListenFlag, url, "--data", reply, "-Q", .. replier.Count(requests.Length)]);
                await TestNetwork.WaitUntilListeningAsync(port, Timeout, rep);
            }
            foreach (string request in requests)
            {
                // No --count on a requester: nngcat's --req with --count can fail ("Cannot set recv timeout").
                await using PeerProcess req = requester.Start("--req", requesterListens ? requester.ListenFlag : requester.DialFlag, url,
                    "--data", request, "-Q");
                if (requesterListens && rep is null)
                {
                    await TestNetwork.WaitUntilListeningAsync(port, Timeout, req);
                    rep = replier.Start(["--rep", replier.DialFlag, url, "--data", reply, "-Q", .. replier.Count(requests.Length)]);
                }
                await req.WaitForSuccessAsync();
                req.ExpectMessages([reply]);
            }
            await rep!.ExpectMessagesAsync(requests);
            if (replier.HasCount)
            {
                await rep.WaitForSuccessAsync();
            }
        }
        finally
        {
            if (rep is not null)
            {
                await rep.DisposeAsync();
            }
        }
    }

    private static (string Url, int Port) Address()
    {
        int port = TestNetwork.FreePort();
        return ($"tcp://127.0.0.1:{port}", port);
    }
}
