using System.Globalization;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>Runs each planned case, catching failures into the cell ("error: …", "n/a (…)") so one bad run never stops the matrix.</summary>
internal sealed class CompareResults(Placement placement)
{
    private readonly Dictionary<BenchCase, object> _results = [];
    private readonly Dictionary<BenchCase, string> _notes = [];

    public Placement Placement => placement;

    public string Execute(BenchCase c)
    {
        if (CaseSides.Unsupported(c) is string reason)
        {
            return Note(c, $"n/a ({reason})");
        }
        TimeSpan limit = TimeSpan.FromSeconds(c.Kind == CaseKind.ReqRep ? c.Count / 1000.0 + 90 : 150);
        try
        {
            object result = CaseOutcome.From(c, CaseRunner.Run(c, placement, limit));
            _results[c] = result;
            return Summary(result);
        }
        catch (Exception ex) when (ex is BenchException or BenchTimeoutException or SpNetException or InvalidOperationException or IOException)
        {
            return Note(c, "error: " + ex.Message);
        }
    }

    public T? Get<T>(BenchCase? c) where T : class => c is not null && _results.TryGetValue(c, out object? value) ? value as T : null;

    public string NoteFor(BenchCase? c) => c is not null && _notes.TryGetValue(c, out string? note) ? note : "–";

    private string Note(BenchCase c, string note)
    {
        _notes[c] = note;
        return note;
    }

    private static string Summary(object result) => result switch
    {
        ThroughputResult t => string.Create(CultureInfo.InvariantCulture, $"{t.MessagesPerSecond,12:N0} msg/s {t.Allocation.BytesPerMessage,8:F1} B/msg"),
        LatencyResult l => string.Create(CultureInfo.InvariantCulture, $"mean {l.MeanMicroseconds:F1} us p50 {l.P50Microseconds:F1} p99 {l.P99Microseconds:F1}"),
        StreamLatencyResult s => string.Create(CultureInfo.InvariantCulture, $"mean {s.MeanMicroseconds:N1} us over {s.Count:N0} in {s.Seconds:F2} s"),
        PubSubResult p => string.Create(CultureInfo.InvariantCulture, $"send {p.SenderRate:N0}/s recv {p.ReceiverRate:N0}/s got {p.Received:N0} loss {p.LossPercent:F1}%"),
        FanOutResult f => string.Create(CultureInfo.InvariantCulture, $"send {f.SenderRate:N0}/s delivered {f.DeliveredRate:N0}/s loss {f.LossPercent:F1}%"),
        SubscriptionResult s => string.Create(CultureInfo.InvariantCulture, $"recv {s.Flow.ReceiverRate:N0}/s subscribe {s.SubscribeTime.TotalMilliseconds:F0} ms"),
        ReqRepResult q => string.Create(CultureInfo.InvariantCulture, $"{q.TripsPerSecond:N0} trips/s p99 {q.P99Microseconds / 1000:F1} ms lost {q.Lost} {q.Allocation.BytesPerMessage:F0} B/trip"),
        _ => result.ToString() ?? "",
    };
}
