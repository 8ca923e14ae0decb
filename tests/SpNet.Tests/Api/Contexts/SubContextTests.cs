using SpNet.TestKit;

namespace SpNet.Tests.Api.Contexts;

/// <summary>A SUB socket's context is a <see cref="SubContext"/>: its subscriptions and drop policy are its own.</summary>
public class SubContextTests
{
    [Fact]
    public async Task PreferNew_starts_as_the_sockets_and_subscriptions_start_empty()
    {
        await using var pub = new PubSocket();
        string url = pub.ListenTcp();
        await using var sub = new SubSocket { PreferNew = false };
        sub.Subscribe("");
        await using SubContext context = sub.OpenContext();
        Assert.Same(sub, context.Socket);
        Assert.False(context.PreferNew);
        sub.Dial(url);
        await pub.WaitForPipeCountAsync(1);
        await pub.SendTextAsync("x");
        Assert.Equal("x", await sub.ReceiveTextAsync()); // the socket's own subscription matched
        Assert.False(context.TryReceive(out _)); // the context subscribed to nothing
        Assert.Equal(SpError.NoEntry, Assert.Throws<SpNetException>(() => context.Unsubscribe("")).Error);
    }

    [Fact]
    public async Task Subscribe_after_dispose_is_Closed()
    {
        await using var sub = new SubSocket();
        SubContext context = sub.OpenContext();
        await context.DisposeAsync();
        Assert.True(context.IsClosed);
        Assert.Equal(SpError.Closed, Assert.Throws<SpNetException>(() => context.Subscribe("a")).Error);
        Assert.Equal(SpError.Closed, Assert.Throws<SpNetException>(() => context.Unsubscribe("a")).Error);
    }
}
