using System.Diagnostics.Metrics;
using SpNet.TestKit;

namespace SpNet.Tests.Api;

public class MetricsTests
{
    [Fact]
    public async Task The_SpNet_meter_reports_traffic_pipes_and_drops_tagged_by_protocol()
    {
        var seen = new Dictionary<(string Instrument, string Protocol), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SpNetMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SpNetMetrics.ProtocolTag)
                {
                    lock (seen)
                    {
                        seen[(instrument.Name, (string)tag.Value!)] = value;
                    }
                }
            }
        });
        listener.Start();

        long Observed(string instrument, string protocol)
        {
            listener.RecordObservableInstruments();
            lock (seen)
            {
                return seen.GetValueOrDefault((instrument, protocol));
            }
        }

        // Star is the only protocol this test uses, so other tests running in parallel cannot move these numbers
        // except by their own star sockets; compare differences.
        long sentBefore = Observed("spnet.messages.sent", "star");
        long receivedBefore = Observed("spnet.messages.received", "star");
        long bytesBefore = Observed("spnet.bytes.received", "star");
        long openedBefore = Observed("spnet.pipes.opened", "star");
        long droppedBefore = Observed("spnet.messages.dropped", "star");
        long attemptsBefore = Observed("spnet.connect.attempts", "star");

        await using (var a = new StarSocket())
        await using (var b = new StarSocket())
        {
            await a.ConnectTcpAsync(b);
            // STAR drops what it sends with no pipe, and b attaches its end after a does: under .ci/stress "hello"
            // went out before b had its pipe and never arrived.
            await b.WaitForPipeCountAsync(1);
            await b.SendTextAsync("hello");
            Assert.Equal("hello", await a.ReceiveTextAsync());
            var (raw, _) = await RawSpPeer.ConnectAndHandshakeAsync(a.Listeners[0].Url, 0x640);
            using (raw)
            {
                await raw.SendFrameAsync([1, 0, 0, 0]); // malformed: dropped
                await Eventually.True(() => a.Statistics.MessagesDropped == 1, "drop counted");
                Assert.True(Observed("spnet.pipes.current", "star") >= 3);
            }
            Assert.True(Observed("spnet.messages.sent", "star") - sentBefore >= 1);
            Assert.True(Observed("spnet.messages.received", "star") - receivedBefore >= 2);
            Assert.True(Observed("spnet.bytes.received", "star") - bytesBefore >= 9); // 4-byte hop count + "hello"
            Assert.True(Observed("spnet.pipes.opened", "star") - openedBefore >= 3);
            Assert.True(Observed("spnet.messages.dropped", "star") - droppedBefore >= 1);
            Assert.True(Observed("spnet.connect.attempts", "star") - attemptsBefore >= 1);
        }

        // Closed sockets' counts stay in the totals: counters never go backwards.
        Assert.True(Observed("spnet.messages.received", "star") - receivedBefore >= 2);
        Assert.True(Observed("spnet.pipes.opened", "star") - openedBefore >= 3);
    }
}
