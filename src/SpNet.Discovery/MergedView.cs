namespace SpNet.Discovery;

/// <summary>
/// The union of the member sets of several discovery sources (registries). Per source it keeps the newest snapshot
/// (a different epoch, or a higher version within the same epoch, replaces it) and whether the source is lost. A
/// member is in the view while any live source lists it; when every source is lost, the last known views are kept
/// (stale beats empty: the members are most likely still there). Not thread-safe: the caller locks.
/// </summary>
internal sealed class MergedView
{
    private readonly SortedDictionary<string, (ServiceSnapshot Snapshot, bool Lost)> _sources = new(StringComparer.Ordinal);
    private readonly long _epoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private ServiceSnapshot _current = ServiceSnapshot.Empty;

    /// <summary>The merged snapshot: with one source, that source's own; with several, epoch = this view's creation time and version = its change count.</summary>
    public ServiceSnapshot Current => _current;

    /// <summary>Each source's latest snapshot and whether it is lost, by source name.</summary>
    public IReadOnlyDictionary<string, (ServiceSnapshot Snapshot, bool Lost)> Sources => _sources;

    /// <summary>Takes <paramref name="snapshot"/> from <paramref name="source"/>; returns the new merged view when it changed (member set, or a source's new epoch), else null.</summary>
    public ServiceSnapshot? Accept(string source, ServiceSnapshot snapshot)
    {
        bool newEpoch = false;
        if (_sources.TryGetValue(source, out var known))
        {
            bool stale = snapshot.Epoch == known.Snapshot.Epoch && snapshot.Version <= known.Snapshot.Version;
            if (stale)
            {
                if (!known.Lost)
                {
                    return null;
                }
                snapshot = known.Snapshot; // alive again with what it had
            }
            newEpoch = snapshot.Epoch != known.Snapshot.Epoch;
        }
        else
        {
            newEpoch = true;
        }
        _sources[source] = (snapshot, false);
        return Recompute(newEpoch);
    }

    /// <summary>Marks <paramref name="source"/> lost; returns the new merged view when that changed it, else null.</summary>
    public ServiceSnapshot? Lose(string source)
    {
        if (!_sources.TryGetValue(source, out var known) || known.Lost)
        {
            return null;
        }
        _sources[source] = (known.Snapshot, true);
        return Recompute(forceChange: false);
    }

    private ServiceSnapshot? Recompute(bool forceChange)
    {
        ServiceSnapshot merged;
        if (_sources.Count == 1)
        {
            merged = _sources.Values.First().Snapshot;
        }
        else
        {
            bool anyLive = _sources.Values.Any(s => !s.Lost);
            var members = new Dictionary<(string, string), ServiceMember>();
            foreach (var (snapshot, lost) in _sources.Values)
            {
                if (lost && anyLive)
                {
                    continue;
                }
                foreach (ServiceMember member in snapshot.Members)
                {
                    members.TryAdd((member.Service, member.Address), member); // sources in name order: the first one's meta wins
                }
            }
            merged = new ServiceSnapshot(_epoch, _current.Epoch == _epoch ? _current.Version : 0, members.Values);
            bool changed = forceChange || !merged.SameMembersAs(_current);
            if (!changed)
            {
                return null;
            }
            merged = new ServiceSnapshot(_epoch, merged.Version + 1, merged.Members);
            _current = merged;
            return merged;
        }
        bool differs = forceChange || merged.Epoch != _current.Epoch || !merged.SameMembersAs(_current);
        bool newer = merged.Epoch != _current.Epoch || merged.Version > _current.Version;
        if (!newer && !differs)
        {
            return null;
        }
        _current = merged;
        return differs ? merged : null;
    }
}
