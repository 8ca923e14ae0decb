using System.Text;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

/// <summary>A context's I/O is the socket's (one implementation): the forms the socket has, with the same rules.</summary>
public class SocketContextTests
{
    [Fact]
    public async Task ReceiveAllAsync_on_a_sub_context_yields_what_it_matches_then_ends_on_its_receive_timeout()
    {
        await using var pub = new PubSocket();
        string url = pub.ListenTcp();
        await using var sub = new SubSocket();
        await using SubContext context = sub.OpenContext();
        context.Subscribe("a");
        // Long enough that a loaded machine delivers the three messages well within it; the silence after them ends the loop.
        context.ReceiveTimeout = TimeSpan.FromSeconds(1);
        sub.Dial(url);
        await pub.WaitForPipeCountAsync(1);
        await pub.SendTextAsync("a1");
        await pub.SendTextAsync("b1");
        await pub.SendTextAsync("a2");

        var received = new List<string>();
        Task consume = Task.Run(async () =>
        {
            await foreach (Message message in context.ReceiveAllAsync())
            {
                using (message)
                {
                    received.Add(Encoding.UTF8.GetString(message.Body));
                }
            }
        });
        await Eventually.Within(consume, "the context's ReceiveAllAsync to end after its receive timeout");
        Assert.Equal(["a1", "a2"], received);
        Assert.False(context.IsClosed);
    }

    [Fact]
    public async Task TrySend_on_a_req_context_is_false_without_a_peer_and_the_caller_keeps_the_message()
    {
        await using var req = new ReqSocket();
        await using SocketContext context = req.OpenContext();
        using Message request = Message.Create("ping"u8);
        Assert.False(context.TrySend(request));
        Assert.Equal("ping", Encoding.UTF8.GetString(request.Body));
        Assert.False(context.TrySend("ping"u8));
    }

    [Fact]
    public async Task Blocking_receive_on_a_context_honours_its_receive_timeout()
    {
        await using var rep = new RepSocket();
        await using var req = new ReqSocket();
        await rep.ConnectTcpAsync(req);
        using SocketContext context = req.OpenContext();
        context.ReceiveTimeout = TimeSpan.FromMilliseconds(100);
        context.Send("unanswered"u8);
        var ex = await Task.Run(() => Assert.Throws<SpNetException>(() => context.Receive())).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(SpError.TimedOut, ex.Error);
    }
}
