using System.Globalization;
using SpNet.Bench.Harness;

namespace SpNet.Bench.Commands;

/// <summary>Runs each planned case, catching failures into the cell ("error: …", "n/a: …") so one bad run never stops the matrix.</summary>
internal sealed class CompareResults(CompareMatrix plan)
{
    private readonly Dictionary<CompareMatrix.Run, object> _results = [];
    private readonly Dictionary<CompareMatrix.Run, string> _notes = [];

    public CompareMatrix Plan => plan;

    public string Execute(CompareMatrix.Run run)
    {
        if (!NativeProbe.IsAvailable(run.Library))
        {
            return Note(run, "n/a (library missing)");
        }
        if (!Addresses.Supports(run.Library, run.Transport))
        {
            return Note(run, "n/a (transport not supported by this library here)");
        }
        if (run.Kind == CompareMatrix.Kind.ReqRep && run.Library == Library.Nanomsg)
        {
            return Note(run, $"n/a ({ReqRepRuns.NanomsgReason})");
        }
        try
        {
            object result = run.Kind switch
            {
                CompareMatrix.Kind.PairThroughput => Runs.Throughput(run.Library, run.Transport, Pattern.Pair0, run.Size, run.Count),
                CompareMatrix.Kind.PushThroughput => Runs.Throughput(run.Library, run.Transport, Pattern.Push, run.Size, run.Count),
                CompareMatrix.Kind.PairLatency => Runs.Latency(run.Library, run.Transport, Pattern.Pair0, run.Size, run.Count),
                CompareMatrix.Kind.PubSub => Runs.PubSub(run.Library, run.Transport, run.Size, run.Count, queueDepth: CompareMatrix.PubSubQueueDepth),
                CompareMatrix.Kind.PubSubPaced => Runs.PubSub(run.Library, run.Transport, run.Size, run.Count, queueDepth: CompareMatrix.PubSubQueueDepth, rate: run.Parameter),
                CompareMatrix.Kind.FanOut => ScaleRuns.FanOut(run.Library, run.Transport, run.Parameter, run.Size, run.Count),
                CompareMatrix.Kind.Subscriptions => ScaleRuns.Subscriptions(run.Library, run.Transport, run.Parameter, run.Size, run.Count, TimeSpan.FromSeconds(plan.Quick ? 5 : 30)),
                CompareMatrix.Kind.ReqRep => ReqRepRuns.Run(run.Library, plan.ReqRepOptions(run)),
                _ => throw new ArgumentOutOfRangeException(nameof(run)),
            };
            _results[run] = result;
            return Summary(result);
        }
        catch (Exception ex) when (ex is BenchException or BenchTimeoutException or SpNetException or InvalidOperationException)
        {
            return Note(run, "error: " + ex.Message);
        }
    }

    public T? Get<T>(CompareMatrix.Run run) where T : class => _results.TryGetValue(run, out object? value) ? value as T : null;

    public string? NoteFor(CompareMatrix.Run run) => _notes.TryGetValue(run, out string? note) ? note : null;

    private string Note(CompareMatrix.Run run, string note)
    {
        _notes[run] = note;
        return note;
    }

    private static string Summary(object result) => result switch
    {
        ThroughputResult t => string.Create(CultureInfo.InvariantCulture, $"{t.MessagesPerSecond,12:N0} msg/s {t.Allocation.BytesPerMessage,8:F1} B/msg"),
        LatencyResult l => string.Create(CultureInfo.InvariantCulture, $"mean {l.MeanMicroseconds:F1} us p50 {l.P50Microseconds:F1} p99 {l.P99Microseconds:F1}"),
        PubSubResult p => string.Create(CultureInfo.InvariantCulture, $"send {p.SenderRate:N0}/s recv {p.ReceiverRate:N0}/s loss {p.LossPercent:F1}%"),
        ScaleRuns.FanOutResult f => string.Create(CultureInfo.InvariantCulture, $"send {f.SenderRate:N0}/s delivered {f.DeliveredRate:N0}/s loss {f.LossPercent:F1}%"),
        ScaleRuns.SubscriptionResult s => string.Create(CultureInfo.InvariantCulture, $"recv {s.Flow.ReceiverRate:N0}/s subscribe {s.SubscribeTime.TotalMilliseconds:F0} ms"),
        ReqRepResult q => string.Create(CultureInfo.InvariantCulture, $"{q.TripsPerSecond:N0} trips/s p99 {q.P99Microseconds / 1000:F1} ms lost {q.Lost} mismatched {q.Mismatched}"),
        _ => result.ToString() ?? "",
    };
}
