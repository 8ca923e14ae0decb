namespace SpNet.Bench.Harness.Sides;

/// <summary>One side of a case: its name and its body (given its link and the URL to listen on or dial).</summary>
internal sealed record Side(string Name, Func<SideLink, string, Task> Body);

/// <summary>The sides of each kind of case; the first one listens, the others dial what it announced.</summary>
internal static class CaseSides
{
    public static IReadOnlyList<Side> For(BenchCase c) => c.Kind switch
    {
        CaseKind.PairThroughput or CaseKind.PushThroughput =>
        [
            new("receiver", (link, url) => ThroughputSides.Receive(link, c.Throughput(), url)),
            new("sender", (link, url) => ThroughputSides.Send(link, c.Throughput(), url)),
        ],
        CaseKind.PairLatency or CaseKind.ReqLatency =>
        [
            new("echo", (link, url) => LatencySides.Echo(link, c.Latency(), url)),
            new("ping", (link, url) => LatencySides.Ping(link, c.Latency(), url)),
        ],
        CaseKind.StreamLatency =>
        [
            new("receiver", (link, url) => StreamLatencySides.Receive(link, c.StreamLatency(), url)),
            new("sender", (link, url) => StreamLatencySides.Send(link, c.StreamLatency(), url)),
        ],
        CaseKind.PubSub or CaseKind.PubSubPaced or CaseKind.FanOut or CaseKind.Subscriptions =>
        [
            new("pub", (link, url) => PubSubSides.Publish(link, c.PubSub(), url)),
            .. Enumerable.Range(0, c.PubSub().SubscriberSides).Select(i =>
                new Side($"subs{i}", (link, url) => PubSubSides.Subscribe(link, c.PubSub(), url))),
        ],
        CaseKind.ReqRep =>
        [
            new("rep", (link, url) => Blocking(() => ReqRepSides.Serve(link, c.Library, c.ReqRep(), url))),
            new("req", (link, url) => Blocking(() => ReqRepSides.Clients(link, c.Library, c.ReqRep(), url))),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>Why this case cannot run for its library here, or null when it can.</summary>
    public static string? Unsupported(BenchCase c)
    {
        if (!NativeProbe.IsAvailable(c.Library))
        {
            return "library missing";
        }
        if (Addresses.Unsupported(c.Library, c.Transport) is string transport)
        {
            return transport;
        }
        return c.Kind == CaseKind.ReqRep ? ReqRepSides.Unsupported(c.Library) : null;
    }

    private static Task Blocking(Action body)
    {
        body();
        return Task.CompletedTask;
    }
}
