namespace SpNet.Discovery;

/// <summary>Counters of a <see cref="Registry"/>. Thread-safe; values only grow.</summary>
public sealed class RegistryStatistics
{
    private long _rounds;
    private long _answers;
    private long _malformed;
    private long _snapshots;
    private long _added;
    private long _removed;
    private readonly Func<long> _oversized;

    internal RegistryStatistics(Func<long> oversized) => _oversized = oversized;

    /// <summary>Surveys completed.</summary>
    public long Rounds => Volatile.Read(ref _rounds);

    /// <summary>Well-formed answers accepted.</summary>
    public long Answers => Volatile.Read(ref _answers);

    /// <summary>Answers ignored because they were not valid UTF-8 JSON of the documented shape.</summary>
    public long MalformedAnswers => Volatile.Read(ref _malformed);

    /// <summary>Answers refused because they exceeded <see cref="RegistryOptions.MaxAnswerSize"/> (the connection is dropped; the member may redial).</summary>
    public long OversizedAnswers => _oversized();

    /// <summary>Snapshot messages published (changes and periodic repeats).</summary>
    public long SnapshotsPublished => Volatile.Read(ref _snapshots);

    /// <summary>Members added (including re-added ones).</summary>
    public long MembersAdded => Volatile.Read(ref _added);

    /// <summary>Members removed after missing too many rounds.</summary>
    public long MembersRemoved => Volatile.Read(ref _removed);

    internal void RoundDone() => Interlocked.Increment(ref _rounds);

    internal void Answer() => Interlocked.Increment(ref _answers);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void Published() => Interlocked.Increment(ref _snapshots);

    internal void Added() => Interlocked.Increment(ref _added);

    internal void Removed() => Interlocked.Increment(ref _removed);

    /// <inheritdoc />
    public override string ToString() =>
        $"rounds {Rounds}; answers {Answers}; malformed {MalformedAnswers}; oversized {OversizedAnswers}; snapshots {SnapshotsPublished}; added {MembersAdded}; removed {MembersRemoved}";
}
