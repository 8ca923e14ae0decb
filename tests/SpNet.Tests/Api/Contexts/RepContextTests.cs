using SpNet.TestKit;

namespace SpNet.Tests.Api.Contexts;

/// <summary>A REP socket's context is a <see cref="RepContext"/>: each holds its own request and answers it.</summary>
public class RepContextTests
{
    [Fact]
    public async Task Two_contexts_answer_their_own_requests_in_either_order()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        await using var req = new ReqSocket();
        req.Dial(url);
        await using RepContext first = rep.OpenContext();
        await using RepContext second = rep.OpenContext();
        Assert.Same(rep, first.Socket);
        await using ReqContext askA = req.OpenContext();
        await using ReqContext askB = req.OpenContext();

        await askA.SendAsync("a"u8.ToArray());
        using Message requestA = await Eventually.Within(first.ReceiveAsync(), "the first request");
        await askB.SendAsync("b"u8.ToArray());
        using Message requestB = await Eventually.Within(second.ReceiveAsync(), "the second request");
        await second.SendAsync(System.Text.Encoding.UTF8.GetBytes("re:" + requestB));
        await first.SendAsync(System.Text.Encoding.UTF8.GetBytes("re:" + requestA));

        using Message replyA = await Eventually.Within(askA.ReceiveAsync(), "a's reply");
        using Message replyB = await Eventually.Within(askB.ReceiveAsync(), "b's reply");
        Assert.Equal("re:a", replyA.ToString());
        Assert.Equal("re:b", replyB.ToString());
    }

    [Fact]
    public async Task Sending_before_receiving_a_request_is_IncorrectState()
    {
        await using var rep = new RepSocket();
        await using RepContext context = rep.OpenContext();
        Assert.Equal(SpError.IncorrectState, (await Assert.ThrowsAsync<SpNetException>(async () => await context.SendAsync("no request"u8.ToArray()))).Error);
    }

    [Fact]
    public async Task A_waiting_receive_fails_with_Closed_when_its_context_closes_and_the_next_context_gets_the_request()
    {
        await using var rep = new RepSocket();
        string url = rep.ListenTcp();
        RepContext closing = rep.OpenContext();
        ValueTask<Message> waiting = closing.ReceiveAsync();
        Assert.False(waiting.IsCompleted);
        await closing.DisposeAsync();
        var error = await Assert.ThrowsAsync<SpNetException>(() => Eventually.Within(waiting.AsTask(), "the closed context's receive to fail"));
        Assert.Equal(SpError.Closed, error.Error);

        // Repeated waits on one context each get their request (the context reuses its waiting receive).
        await using RepContext serving = rep.OpenContext();
        await using var req = new ReqSocket();
        req.Dial(url);
        for (int i = 0; i < 3; i++)
        {
            ValueTask<Message> next = serving.ReceiveAsync();
            await req.SendAsync(System.Text.Encoding.UTF8.GetBytes($"r{i}"));
            using Message request = await Eventually.Within(next.AsTask(), "a request");
            Assert.Equal($"r{i}", request.ToString());
            await serving.SendAsync(request.Body.ToArray());
            using Message reply = await Eventually.Within(req.ReceiveAsync().AsTask(), "the reply");
            Assert.Equal($"r{i}", reply.ToString());
        }
    }
}
