using SpNet.TestKit;

namespace SpNet.Tests.Api;

public class WaitForPipesTests
{
    /// <summary>
    /// The newcomer's PUB/SUB: the SUB dials in the background and the PUB sends at once. Without waiting, the first
    /// message was lost in 6 of 20 runs over tcp and 18 of 20 over inproc; with WaitForPipesAsync it must never be.
    /// </summary>
    [Theory]
    [MemberData(nameof(Addresses.InprocAndTcp), MemberType = typeof(Addresses))]
    public async Task A_publisher_that_waits_for_its_subscriber_loses_no_first_message(string transport)
    {
        for (int run = 0; run < 20; run++)
        {
            await using var pub = new PubSocket();
            string url = pub.Listen(Addresses.For(transport, "newcomer")).Url;
            await using var sub = new SubSocket();
            sub.Subscribe("");
            sub.Dial(url);

            await Eventually.Within(pub.WaitForPipesAsync(1), $"run {run}: the subscriber's pipe on {url}");
            await pub.SendAsync("first"u8.ToArray());

            using Message first = await Eventually.Within(sub.ReceiveAsync(), $"run {run}: the first message over {transport}");
            Assert.Equal("first", first.ToString());
        }
    }

    [Fact]
    public async Task Completes_at_once_when_enough_pipes_are_attached_and_counts_them()
    {
        await using var pull = new PullSocket();
        string url = pull.ListenTcp();
        await using var push = new PushSocket();
        Assert.Equal(0, push.PipeCount);
        Assert.True(push.WaitForPipesAsync(0).IsCompletedSuccessfully);

        await push.DialAsync(url);
        Assert.Equal(1, push.PipeCount);
        Assert.True(push.WaitForPipesAsync(1).IsCompletedSuccessfully);
        await Eventually.Within(pull.WaitForPipesAsync(1), "the listener's side of the pipe");
        Assert.Equal(1, pull.PipeCount);
    }

    [Fact]
    public async Task Waits_until_the_count_is_reached()
    {
        await using var pub = new PubSocket();
        string url = pub.ListenTcp();
        Task two = pub.WaitForPipesAsync(2);
        await using var first = new SubSocket();
        await first.DialAsync(url);
        await pub.WaitForPipeCountAsync(1);
        Assert.False(two.IsCompleted);

        await using var second = new SubSocket();
        await second.DialAsync(url);
        await Eventually.Within(two, "the second subscriber's pipe");
        Assert.Equal(2, pub.PipeCount);
    }

    [Fact]
    public async Task Cancellation_and_close_end_the_wait()
    {
        var pub = new PubSocket();
        using var cts = new CancellationTokenSource();
        Task canceled = pub.WaitForPipesAsync(1, cts.Token);
        Task closed = pub.WaitForPipesAsync(1);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Eventually.Within(canceled, "the canceled wait"));

        await pub.DisposeAsync();
        var ex = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(closed, "the wait ended by close"));
        Assert.Equal(SpError.Closed, ex.Error);
        await Assert.ThrowsAsync<SpNetException>(() => pub.WaitForPipesAsync(1));
    }
}
