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
    private long _refused;
    private long _overCap;
    private long _oversizedMembers;
    private long _conflicts;
    private long _certificateMismatches;
    private readonly Func<long> _oversized;
    private readonly Func<long> _snapshotsDropped;

    internal RegistryStatistics(Func<long> oversized, Func<long> snapshotsDropped)
    {
        _oversized = oversized;
        _snapshotsDropped = snapshotsDropped;
    }

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

    /// <summary>
    /// Snapshot copies not queued for a subscriber because it had not taken the previous one yet (each subscriber
    /// holds at most one queued snapshot plus one being written; it gets a newer one once it catches up).
    /// </summary>
    public long SnapshotsDropped => _snapshotsDropped();

    /// <summary>Members added (including re-added ones).</summary>
    public long MembersAdded => Volatile.Read(ref _added);

    /// <summary>Members removed after missing too many rounds.</summary>
    public long MembersRemoved => Volatile.Read(ref _removed);

    /// <summary>New members refused because the registry already listed <see cref="RegistryOptions.MaxMembers"/>.</summary>
    public long MembersRefused => Volatile.Read(ref _refused);

    /// <summary>Answers ignored because their connection had already announced <see cref="RegistryOptions.MaxMembersPerAnswer"/> members that round.</summary>
    public long AnswersOverCap => Volatile.Read(ref _overCap);

    /// <summary>Well-formed answers refused because the member is above <see cref="DiscoveryFormat.MaxMetaSize"/> or <see cref="DiscoveryFormat.MaxMemberSize"/>.</summary>
    public long OversizedMembers => Volatile.Read(ref _oversizedMembers);

    /// <summary>Answers ignored because another live connection owns that member (same service and address).</summary>
    public long OwnershipConflicts => Volatile.Read(ref _conflicts);

    /// <summary>
    /// Well-formed answers refused in cluster mode (<see cref="RegistryOptions.RequireServiceCertificate"/>) because the
    /// certificate of the connection they came on does not name the service they announce (one per answer, so a
    /// refused member counts once a round).
    /// </summary>
    public long CertificateMismatches => Volatile.Read(ref _certificateMismatches);

    internal void CertificateMismatch() => Interlocked.Increment(ref _certificateMismatches);

    internal void Refused() => Interlocked.Increment(ref _refused);

    internal void OverCap() => Interlocked.Increment(ref _overCap);

    internal void OversizedMember() => Interlocked.Increment(ref _oversizedMembers);

    internal void Conflict() => Interlocked.Increment(ref _conflicts);

    internal void RoundDone() => Interlocked.Increment(ref _rounds);

    internal void Answer() => Interlocked.Increment(ref _answers);

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void Published() => Interlocked.Increment(ref _snapshots);

    internal void Added() => Interlocked.Increment(ref _added);

    internal void Removed() => Interlocked.Increment(ref _removed);

    /// <inheritdoc />
    public override string ToString() =>
        $"rounds {Rounds}; answers {Answers}; malformed {MalformedAnswers}; oversized {OversizedAnswers}; snapshots {SnapshotsPublished} (dropped for slow subscribers {SnapshotsDropped}); added {MembersAdded}; removed {MembersRemoved}; refused {MembersRefused}; over cap {AnswersOverCap}; oversized members {OversizedMembers}; conflicts {OwnershipConflicts}; certificate mismatches {CertificateMismatches}";
}
