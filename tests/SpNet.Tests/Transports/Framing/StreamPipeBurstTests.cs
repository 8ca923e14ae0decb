using System.Buffers.Binary;
using SpNet.TestKit;

namespace SpNet.Tests.Transports.Framing;

/// <summary>
/// Bursts of mixed sizes, around every size the write path treats differently (coalesced, grown buffer, written from
/// the message's own buffer, larger than a chunk), against a receiver that starts late, so the kernel takes writes in
/// part and they resume asynchronously; PAIR1 puts a header on every frame. Every message must arrive whole and in order.
/// </summary>
public sealed class StreamPipeBurstTests
{
    public static TheoryData<string> Urls() => Addresses.StreamTransports("burst");

    private static readonly int[] Sizes = [8, 8_191, 8_192, 16_384, 100, 70_000, 12_000, 40, 200_000, 9_000, 9_000, 9_000, 9_000, 9_000, 3_000, 1_000_000];

    [Theory]
    [MemberData(nameof(Urls))]
    public async Task Bursts_of_small_and_large_bodies_arrive_whole_and_in_order(string url)
    {
        const int Count = 1_500;
        await using var receiver = new Pair1Socket { ReceiveTimeout = TimeSpan.FromSeconds(30) };
        await using var sender = new Pair1Socket { SendTimeout = TimeSpan.FromSeconds(30) };
        string bound = receiver.Listen(url).Url;
        using var connect = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await sender.DialAsync(bound, connect.Token);

        Task sending = Task.Run(() =>
        {
            for (int i = 0; i < Count; i++)
            {
                byte[] body = new byte[Sizes[i % Sizes.Length]];
                BinaryPrimitives.WriteInt32BigEndian(body, i);
                body.AsSpan(4).Fill((byte)(i * 7));
                sender.Send(body);
            }
        });

        // Let the sender fill the socket buffers and its queue before anyone reads.
        await Task.WhenAny(sending, Task.Delay(300));
        for (int i = 0; i < Count; i++)
        {
            using Message message = await receiver.ReceiveAsync();
            Assert.Equal(Sizes[i % Sizes.Length], message.BodyLength);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(message.Body));
            Assert.True(message.Body[4..].IndexOfAnyExcept((byte)(i * 7)) < 0, $"message {i} corrupted");
        }
        await sending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Count, sender.Statistics.MessagesSent);
    }
}
