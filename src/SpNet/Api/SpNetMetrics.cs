using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SpNet;

/// <summary>
/// SpNet's counters through <see cref="System.Diagnostics.Metrics"/>: a <see cref="Meter"/> named <c>SpNet</c> whose
/// observable instruments read every live socket's <see cref="SocketStatistics"/> when a listener collects, so the
/// data path does no extra work. Each measurement is tagged <c>spnet.protocol</c> (the socket's protocol name, e.g.
/// <c>req</c>) and sums the sockets of that protocol; a closed socket's final counts stay in the totals, so counters
/// never go backwards.
/// </summary>
/// <remarks>
/// Instruments (all <c>ObservableCounter&lt;long&gt;</c> except <c>spnet.pipes.current</c>, an up-down counter):
/// <c>spnet.messages.sent</c>, <c>spnet.messages.received</c>, <c>spnet.bytes.sent</c>, <c>spnet.bytes.received</c>,
/// <c>spnet.messages.dropped</c>, <c>spnet.pipes.opened</c>, <c>spnet.pipes.closed</c>, <c>spnet.pipes.rejected</c>,
/// <c>spnet.pipes.current</c>, <c>spnet.protocol.errors</c>, <c>spnet.connect.attempts</c> (dialer attempts, i.e.
/// reconnects), <c>spnet.connect.failures</c>.
/// </remarks>
public static class SpNetMetrics
{
    /// <summary>The meter's name, for <c>MeterListener</c> and OpenTelemetry's <c>AddMeter</c>.</summary>
    public const string MeterName = "SpNet";

    /// <summary>The tag carrying the protocol name.</summary>
    public const string ProtocolTag = "spnet.protocol";

    private static readonly ConcurrentDictionary<SocketStatistics, string> s_live = new();
    private static readonly ConcurrentDictionary<string, long[]> s_retired = new();
    private static readonly Meter s_meter = CreateMeter();

    private static readonly Func<SocketStatistics, long>[] s_readers =
    [
        s => s.MessagesSent, s => s.MessagesReceived, s => s.BytesSent, s => s.BytesReceived, s => s.MessagesDropped,
        s => s.PipesOpened, s => s.PipesClosed, s => s.PipesRejected, s => s.ProtocolErrors, s => s.ConnectAttempts,
        s => s.ConnectFailures,
    ];

    /// <summary>Starts reporting a socket's counters.</summary>
    internal static void Register(SocketStatistics statistics, string protocol)
    {
        _ = s_meter;
        s_live.TryAdd(statistics, protocol);
    }

    /// <summary>Stops reading a closed socket, folding its final counts into the totals. Idempotent.</summary>
    internal static void Retire(SocketStatistics statistics)
    {
        if (!s_live.TryRemove(statistics, out string? protocol))
        {
            return;
        }
        long[] totals = s_retired.GetOrAdd(protocol, _ => new long[s_readers.Length]);
        for (int i = 0; i < s_readers.Length; i++)
        {
            Interlocked.Add(ref totals[i], s_readers[i](statistics));
        }
    }

    private static Meter CreateMeter()
    {
        var meter = new Meter(MeterName, typeof(SpNetMetrics).Assembly.GetName().Version?.ToString());
        Counter(meter, 0, "spnet.messages.sent", "{message}", "Messages written to pipes");
        Counter(meter, 1, "spnet.messages.received", "{message}", "Messages read from pipes");
        Counter(meter, 2, "spnet.bytes.sent", "By", "Bytes (SP header and body, without framing) written to pipes");
        Counter(meter, 3, "spnet.bytes.received", "By", "Bytes (SP header and body, without framing) read from pipes");
        Counter(meter, 4, "spnet.messages.dropped", "{message}", "Messages discarded: full queues, TTL, malformed headers, stale replies");
        Counter(meter, 5, "spnet.pipes.opened", "{pipe}", "Pipes accepted after the handshake");
        Counter(meter, 6, "spnet.pipes.closed", "{pipe}", "Accepted pipes that closed");
        Counter(meter, 7, "spnet.pipes.rejected", "{pipe}", "Pipes refused: wrong peer protocol or no room (PAIR)");
        Counter(meter, 8, "spnet.protocol.errors", "{error}", "Pipes closed for violating the wire protocol");
        Counter(meter, 9, "spnet.connect.attempts", "{attempt}", "Dialer connection attempts, including reconnects");
        Counter(meter, 10, "spnet.connect.failures", "{attempt}", "Dialer connection attempts that failed");
        meter.CreateObservableUpDownCounter("spnet.pipes.current", () => Observe(s => s.PipesOpened - s.PipesClosed, -1), "{pipe}", "Pipes open now");
        return meter;
    }

    private static void Counter(Meter meter, int index, string name, string unit, string description) =>
        meter.CreateObservableCounter(name, () => Observe(s_readers[index], index), unit, description);

    /// <summary>One measurement per protocol: live sockets plus retired totals (<paramref name="retiredIndex"/> -1 = none).</summary>
    private static List<Measurement<long>> Observe(Func<SocketStatistics, long> read, int retiredIndex)
    {
        var sums = new Dictionary<string, long>(StringComparer.Ordinal);
        if (retiredIndex >= 0)
        {
            foreach (var (protocol, totals) in s_retired)
            {
                sums[protocol] = Volatile.Read(ref totals[retiredIndex]);
            }
        }
        foreach (var (statistics, protocol) in s_live)
        {
            sums[protocol] = sums.GetValueOrDefault(protocol) + read(statistics);
        }
        var measurements = new List<Measurement<long>>(sums.Count);
        foreach (var (protocol, value) in sums)
        {
            measurements.Add(new Measurement<long>(value, new KeyValuePair<string, object?>(ProtocolTag, protocol)));
        }
        return measurements;
    }
}
