using SpNet.TestKit;

namespace SpNet.Tests.Api.Contexts;

/// <summary>A REQ socket's context is a <see cref="ReqContext"/>: its resend time is its own.</summary>
public class ReqContextTests
{
    [Fact]
    public async Task ResendTime_starts_as_the_sockets_and_changing_it_leaves_the_socket_alone()
    {
        await using var req = new ReqSocket { ResendTime = TimeSpan.FromSeconds(7) };
        await using ReqContext context = req.OpenContext();
        Assert.Same(req, context.Socket);
        Assert.Equal(TimeSpan.FromSeconds(7), context.ResendTime);
        context.ResendTime = Timeout.InfiniteTimeSpan;
        Assert.Equal(Timeout.InfiniteTimeSpan, context.ResendTime);
        Assert.Equal(TimeSpan.FromSeconds(7), req.ResendTime);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.ResendTime = TimeSpan.FromSeconds(-2));
        Assert.Equal(Timeout.InfiniteTimeSpan, context.ResendTime);
    }

    [Fact]
    public async Task A_short_context_ResendTime_sends_the_same_request_again()
    {
        await using var rep = new RepSocket(); // receives but never answers, so only a resend brings the request back
        await using var req = new ReqSocket();
        req.Dial(rep.ListenTcp());
        await using ReqContext context = req.OpenContext();
        context.ResendTime = TimeSpan.FromMilliseconds(100);
        await context.SendAsync("again"u8.ToArray());
        using Message first = await Eventually.Within(rep.ReceiveAsync(), "the request");
        using Message resent = await Eventually.Within(rep.ReceiveAsync(), "the resent request");
        Assert.Equal("again", resent.ToString());
        Assert.Equal(first.Header.ToArray(), resent.Header.ToArray()); // same request id, so the same request
    }
}
