using SpNet.TestKit;

namespace SpNet.Tests.Transports.Inproc;

public class InprocPipeTests
{
    [Fact]
    public async Task MaxReceiveSize_is_not_applied_to_an_inproc_peer_as_in_NNG()
    {
        await using var pull = new PullSocket { MaxReceiveSize = 16 };
        await using var push = new PushSocket();
        string url = pull.Listen(Addresses.Inproc("max-size")).Url;
        push.Dial(url);
        await pull.WaitForPipeCountAsync(1);
        byte[] body = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        await Eventually.Within(push.SendAsync(body), "the send");
        using Message m = await Eventually.Within(pull.ReceiveAsync(), "a message 256 times the limit");
        Assert.Equal(body, m.ToArray());
        Assert.Equal(0, pull.Statistics.OversizedMessages);
        Assert.Equal(1, pull.Statistics.CurrentPipes);
    }

    [Fact]
    public async Task The_same_limit_closes_a_tcp_pipe()
    {
        // The contrast that makes the inproc case a decision, not an oversight: over the network the limit holds.
        await using var pull = new PullSocket { MaxReceiveSize = 16 };
        await using var push = new PushSocket();
        await pull.ConnectTcpAsync(push);
        await Eventually.Within(push.SendAsync(new byte[4096]), "the send");
        await Eventually.True(() => pull.Statistics.OversizedMessages == 1, "the oversized frame was refused");
        Assert.False(pull.TryReceive(out Message? m), $"received {m?.BodyLength} bytes");
    }
}
