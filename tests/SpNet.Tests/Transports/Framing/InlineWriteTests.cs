using System.Buffers.Binary;
using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Tests.Transports.Framing;

/// <summary>
/// Stream pipes let a sender write on its own thread when the connection has been quiet, and queue for the write
/// loop otherwise. These tests mix both on purpose (pauses make the connection quiet, bursts do not) while the
/// receiver starts late, so the kernel's buffer fills and inline writes are cut short and finished asynchronously.
/// Whatever path each message takes, the peer must see every one, whole and in order.
/// </summary>
public sealed class InlineWriteTests
{
    public static TheoryData<string> Urls() => Addresses.StreamTransports("inline");

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Mixed_inline_and_queued_writes_arrive_whole_and_in_order(string url)
    {
        const int Count = 6_000;
        await using var pull = new PullSocket { ReceiveTimeout = TimeSpan.FromSeconds(20) };
        await using var push = new PushSocket { SendTimeout = TimeSpan.FromSeconds(20), SendBufferSize = 16 };
        string bound = pull.Listen(url).Url;
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await push.DialAsync(bound, connect.Token);

        Task sender = Task.Run(() =>
        {
            var random = new Random(7);
            for (int i = 0; i < Count; i++)
            {
                // First phase: up to 15 KB each, every one after a pause, so inline writes fill the kernel's buffers
                // and one is cut short. Then sizes past the 16 KiB inline limit and bursts, with a pause every 50th.
                bool firstPhase = i < 2_000;
                int size = firstPhase ? 4 + random.Next(15_000) : i % 97 == 0 ? 20_000 : 4 + random.Next(3_000);
                byte[] body = new byte[size];
                BinaryPrimitives.WriteInt32BigEndian(body, i);
                body.AsSpan(4).Fill((byte)i);
                if (firstPhase || i % 50 == 0)
                {
                    long until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10_000; // 100 µs: longer than the quiet threshold
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        Thread.SpinWait(10);
                    }
                }
                push.Send(body);
            }
        });

        // Let the sender fill the socket buffers before anyone reads.
        await Task.WhenAny(sender, Task.Delay(300));
        for (int i = 0; i < Count; i++)
        {
            using Message message = await pull.ReceiveAsync();
            Assert.True(message.Length >= 4, $"message {i} is {message.Length} bytes");
            int index = BinaryPrimitives.ReadInt32BigEndian(message.Body);
            Assert.Equal(i, index);
            Assert.True(message.Body[4..].IndexOfAnyExcept((byte)i) < 0, $"message {i} corrupted");
        }
        await sender.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Count, push.Statistics.MessagesSent);
    }

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Ping_pong_after_pauses_goes_both_ways(string url)
    {
        // Every send here follows a quiet connection, so all of them take the inline path.
        await using var rep = new RepSocket { ReceiveTimeout = TimeSpan.FromSeconds(10) };
        await using var req = new ReqSocket { ReceiveTimeout = TimeSpan.FromSeconds(10) };
        string bound = rep.Listen(url).Url;
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await req.DialAsync(bound, connect.Token);
        Task server = Task.Run(async () =>
        {
            for (int i = 0; i < 200; i++)
            {
                using Message request = await rep.ReceiveAsync();
                await rep.SendAsync(request.Body.ToArray());
            }
        });
        for (int i = 0; i < 200; i++)
        {
            byte[] body = BitConverter.GetBytes(i);
            await req.SendAsync(body);
            using Message reply = await req.ReceiveAsync();
            Assert.Equal(body, reply.Body.ToArray());
        }
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
