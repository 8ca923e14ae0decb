using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Memory;

/// <summary>
/// A PUB flooded with large messages while its subscribers connect and never read. NNG's pub0 keeps at most its send
/// buffer per subscriber (16 messages, dropping the oldest) plus the one being written, sharing message bodies between
/// subscribers; SpNet's PUB must hold no more than twice that, and give it back when the subscribers leave.
/// </summary>
public sealed class StalledSubscriberMemoryTests(ITestOutputHelper output) : UnobservedWatch
{
    // The old depth (128 messages whatever their size) held 8x this: ~131 MiB per stalled subscriber at 1 MiB.

    /// <summary>NNG's pub0 send buffer, in messages per subscriber.</summary>
    private const int NngDepth = 16;

    private static int Subscribers => Mode.Int("SPNET_STALLED_SUBSCRIBERS", 4);

    [Theory]
    [InlineData(64 * 1024, 2_000)]
    [InlineData(1024 * 1024, 300)]
    public async Task A_flooding_pub_holds_at_most_twice_what_nng_would_for_stalled_subscribers_and_gives_it_back(int size, int messages)
    {
        int subscribers = Subscribers;
        await using var pub = new PubSocket();
        string url = pub.Listen(Addresses.TcpLoopback).Url;
        GC.Collect();
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        var stalled = new List<RawSpPeer>();
        try
        {
            // Subscribers attach one after another during the flood, so each stalls on different messages and no
            // queue shares its bodies with another's: the worst case for the queue depth.
            byte[] body = new byte[size];
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < messages; i++)
            {
                if (i % (messages / subscribers) == 0 && stalled.Count < subscribers)
                {
                    var (peer, _) = await RawSpPeer.ConnectAndHandshakeAsync(url, 0x21);
                    peer.Socket.ReceiveBufferSize = 4096; // the window closes early: the queue, not the kernel, holds the rest
                    stalled.Add(peer);
                    await Eventually.True(() => pub.Statistics.CurrentPipes == stalled.Count, $"{stalled.Count} subscribers attached");
                }
                await pub.SendAsync(body);
            }
            TimeSpan publishTime = clock.Elapsed;
            long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;

            // NNG: 16 queued + 1 being written per subscriber. (It drops the oldest, so stalled queues end up sharing
            // the latest 16 bodies: with staggered stalls it holds about 16 + N, SpNet, which drops the newest,
            // 17 x N; docs/reliability.md gives both.) The BufferPool keeps up to 8-16 MiB of returned bodies per size class.
            long nng = subscribers * (NngDepth + 1L) * size;
            long poolKept = 16L * 1024 * 1024;
            output.WriteLine($"PUB, {subscribers} stalled SUBs, {messages:N0} x {size / 1024:N0} KiB in {publishTime.TotalMilliseconds:0} ms: managed heap +{held / 1024.0 / 1024:0.0} MiB while they stall ({held / 1024.0 / 1024 / subscribers:0.0} MiB per subscriber); NNG's most: {nng / 1024.0 / 1024:0.0} MiB; dropped {pub.Statistics.MessagesDropped:N0}; load {LoadAverage.Now()}");
            Assert.True(pub.Statistics.MessagesDropped > 0, "the stalled subscribers should lose messages");
            Assert.True(held <= (2 * nng) + poolKept, $"PUB holds {held / 1024 / 1024} MiB for {subscribers} stalled subscribers, over twice NNG's {nng / 1024 / 1024} MiB (+ {poolKept / 1024 / 1024} MiB pool)");
        }
        finally
        {
            foreach (RawSpPeer peer in stalled)
            {
                peer.Dispose();
            }
        }
        await Eventually.True(() => pub.Statistics.CurrentPipes == 0, "subscribers gone");
        long after = 0;
        // Their queues are released as the pipes close: what stays is the pool's bounded keep.
        await Eventually.True(() => (after = GC.GetTotalMemory(forceFullCollection: true) - baseline) <= 17L * 1024 * 1024, "memory back after the subscribers left", TimeSpan.FromSeconds(30));
        output.WriteLine($"after the subscribers left: managed heap +{after / 1024.0 / 1024:0.0} MiB over the start");
    }
}
