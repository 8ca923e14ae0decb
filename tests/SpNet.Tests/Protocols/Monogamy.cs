using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>What PAIR0 and a monogamous PAIR1 promise: one peer at a time; a second is refused and the first keeps talking.</summary>
internal static class Monogamy
{
    /// <summary>A socket from <paramref name="create"/> with one peer refuses a second and still talks both ways with the first.</summary>
    public static async Task AssertSecondPeerRefusedAsync(Func<Socket> create)
    {
        await using Socket server = create();
        await using Socket first = create();
        await using Socket second = create();
        second.ReconnectMinTime = TimeSpan.FromSeconds(10);
        string url = await server.ConnectTcpAsync(first);
        second.Dial(url);
        await Eventually.True(() => server.Statistics.PipesRejected >= 1, $"second peer rejected ({server.Statistics})");
        Assert.Equal(1, server.Statistics.CurrentPipes);
        await server.AssertExchangeAsync(first, "only you", "thanks");
        Assert.False(second.TryReceive(out _));
    }
}
