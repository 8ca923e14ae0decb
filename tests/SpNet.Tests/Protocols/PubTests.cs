using System.Diagnostics;
using System.Net.Sockets;
using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

public class PubTests
{
    [Fact]
    public async Task Every_subscriber_gets_every_message()
    {
        await using var pub = new PubSocket();
        await using var sub1 = new SubSocket();
        await using var sub2 = new SubSocket();
        string url = pub.Listen(Addresses.Inproc("pub-fan")).Url;
        sub1.Subscribe("");
        sub2.Subscribe("");
        sub1.Dial(url);
        sub2.Dial(url);
        await pub.WaitForPipeCountAsync(2);
        for (int i = 0; i < 20; i++)
        {
            await pub.SendTextAsync($"m{i}");
        }
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal($"m{i}", await sub1.ReceiveTextAsync());
            Assert.Equal($"m{i}", await sub2.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task Send_with_no_subscribers_does_not_block()
    {
        await using var pub = new PubSocket();
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(pub.TrySend("void"u8));
        }
        await pub.SendTextAsync("still fine");
    }

    [Fact]
    public async Task A_stalled_subscriber_loses_messages_without_stalling_the_publisher_or_a_fast_subscriber()
    {
        await using var pub = new PubSocket { SendBufferSize = 4 };
        string url = pub.ListenTcp();

        // The stalled subscriber: handshakes, then never reads. A small receive buffer bounds what the kernel absorbs.
        var stalled = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await stalled.ConnectAsync(Addresses.EndPointOf(url));
        using var stalledPeer = RawSpPeer.Wrap(stalled);
        await stalledPeer.SendAsync(RawSpPeer.Header(0x21));
        await stalledPeer.ReceiveExactlyAsync(8);

        await using var fast = new SubSocket();
        fast.Subscribe("");
        fast.Dial(url);
        await pub.WaitForPipeCountAsync(2);

        byte[] payload = new byte[32 * 1024];
        const int count = 400; // 12.5 MiB: far more than the stalled peer's kernel buffers and queue can hold
        var sendTime = new Stopwatch();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            BitConverter.TryWriteBytes(payload, i);
            sendTime.Start();
            Assert.True(pub.TrySend(payload), "PUB refused a send");
            sendTime.Stop();
            // Pace to the fast subscriber, so it keeps up and should miss nothing.
            using Message m = await Eventually.Within(fast.ReceiveAsync(), $"message {i} on the fast subscriber");
            Assert.Equal(i, BitConverter.ToInt32(m.Body));
            Assert.True(total.Elapsed < TimeSpan.FromSeconds(4), $"only {i} messages in {total.Elapsed}");
        }
        Assert.True(pub.Statistics.MessagesDropped > 0, $"nothing dropped for the stalled subscriber ({pub.Statistics})");
        Assert.Equal(0, fast.Statistics.MessagesDropped);
        Assert.True(sendTime.Elapsed < TimeSpan.FromSeconds(1), $"sends took {sendTime.Elapsed} in total");
        Assert.Equal(2, pub.Statistics.CurrentPipes); // dropping is not disconnecting
    }
}
