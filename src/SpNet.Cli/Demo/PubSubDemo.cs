using System.Diagnostics;

namespace SpNet.Cli.Demo;

/// <summary>PUB/SUB: one PUB listens; one SUB takes everything, the other only topic <c>a/</c>.</summary>
internal static class PubSubDemo
{
    /// <summary>
    /// Messages the publisher may have in flight to a subscriber before that subscriber confirms receipt. PUB never
    /// waits and drops what a full queue cannot take (by design), so the demo paces itself to stay under the
    /// 128-message per-pipe send queue and SUB receive queue: at most 2 x 32 + 1 messages (both topics) are ever
    /// queued for the filtered subscriber. Any loss is then a bug, not the documented drop.
    /// </summary>
    private const int Window = 32;

    /// <summary>
    /// Publishes <see cref="DemoSettings.Messages"/> messages alternating topics <c>a/</c> and <c>b/</c>; checks the
    /// unfiltered SUB gets every one in order and the <c>a/</c> SUB gets exactly the <c>a/</c> ones in order.
    /// </summary>
    public static async Task<DemoOutcome> RunAsync(DemoSockets sockets, DemoTransport transport, DemoSettings settings, CancellationToken cancellationToken)
    {
        PubSocket pub = sockets.Add(new PubSocket());
        SubSocket subAll = sockets.Add(new SubSocket());
        SubSocket subA = sockets.Add(new SubSocket());
        subAll.Subscribe("");
        subA.Subscribe("a/");
        await DemoSockets.ConnectAsync(transport, pub, "pubsub", cancellationToken, subAll, subA).ConfigureAwait(false);

        int n = settings.Messages;
        // Topics alternate so that the last message is an a/ one: a b/ message leaking through the filter would
        // then arrive before the last a/ message and break the filtered subscriber's sequence.
        bool IsTopicA(int sequence) => (n - 1 - sequence) % 2 == 0;
        int firstA = IsTopicA(0) ? 0 : 1;
        int countA = (n - firstA + 1) / 2;
        var allCheck = new StreamCheck("sub all", n);
        var aCheck = new StreamCheck("sub a/", countA, step: 2, first: firstA);
        using var creditAll = new SemaphoreSlim(Window);
        using var creditA = new SemaphoreSlim(Window);

        Func<int, string> topicOf = s => IsTopicA(s) ? "a/" : "b/";
        long start = Stopwatch.GetTimestamp();
        await Concurrently.RunAsync(
            cancellationToken,
            async ct =>
            {
                for (int i = 0; i < n; i++)
                {
                    bool topicA = IsTopicA(i);
                    await creditAll.WaitAsync(ct).ConfigureAwait(false);
                    if (topicA)
                    {
                        await creditA.WaitAsync(ct).ConfigureAwait(false);
                    }
                    // PUB's send never waits and takes the message in every case.
                    await pub.SendAsync(Payload.Create(topicA ? "a/" : "b/", i, settings.Size), ct).ConfigureAwait(false);
                }
            },
            ct => allCheck.ReceiveAllAsync(subAll, m => Read(m, creditAll, topicOf, settings.Size), ct),
            ct => aCheck.ReceiveAllAsync(subA, m => Read(m, creditA, static _ => "a/", settings.Size), ct)).ConfigureAwait(false);
        string rate = Figures.Rate(n, start);
        return new DemoOutcome(Figures.Count(n), rate, $"all: {Figures.Count(n)}, a/ only: {Figures.Count(countA)}, in order");
    }

    /// <summary>
    /// The sequence number of a received message, after checking it came under the topic it was published with; the
    /// message's window credit goes back to the publisher.
    /// </summary>
    private static int Read(Message message, SemaphoreSlim credit, Func<int, string> topicOf, int size)
    {
        // The topic is the first two bytes; read the sequence under either, then insist on the right one.
        int sequence = Payload.Read(message.Body, message.Body[0] == (byte)'a' ? "a/" : "b/", size);
        string topic = topicOf(sequence);
        if (message.Body[0] != (byte)topic[0])
        {
            throw new DemoCheckException($"message #{sequence} arrived with the wrong topic (expected {topic})");
        }
        credit.Release();
        return sequence;
    }
}
