using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>
/// The registry's members and the rules that keep a hostile connection from taking it over: each entry belongs to
/// the connection (pipe) that announced it, and an answer from another connection for the same service and address
/// is ignored while the owner's connection is open; one connection announces at most a few members per round and has
/// at most as many listed at once; the
/// table holds at most <see cref="RegistryOptions.MaxMembers"/>. Used by the survey loop only (not thread-safe),
/// except <see cref="PipeClosed"/>, which the socket's event may call at any time.
/// </summary>
internal sealed partial class MemberTable(RegistryOptions options, RegistryStatistics statistics)
{
    private readonly Dictionary<(string Service, string Address), Entry> _entries = [];
    private readonly Dictionary<(string Service, string Address), (ServiceMember Member, uint Pipe)> _round = [];
    private readonly Dictionary<uint, int> _announcedThisRound = [];
    private readonly ConcurrentDictionary<uint, byte> _closedPipes = new();
    private bool _fullLogged;

    /// <summary>The listed members.</summary>
    public IEnumerable<ServiceMember> Members => _entries.Values.Select(e => e.Member);

    /// <summary>Records that <paramref name="pipe"/> closed: its entries may be claimed by a new connection at once.</summary>
    public void PipeClosed(uint pipe) => _closedPipes[pipe] = 0;

    /// <summary>Takes one answer of the current round from <paramref name="pipe"/>, or ignores it (counted) when a rule forbids it.</summary>
    public void Offer(uint pipe, ServiceMember member)
    {
        var key = (member.Service, member.Address);
        bool repeat = _round.TryGetValue(key, out var earlier) && earlier.Pipe == pipe;
        if (!repeat)
        {
            if (earlier.Member is not null || OwnedByAnother(key, pipe))
            {
                // Another connection answered for it first this round, or owns it and is still connected: a late
                // answer must not replace a live member's meta.
                statistics.Conflict();
                return;
            }
            _announcedThisRound.TryGetValue(pipe, out int announced);
            if (announced >= options.MaxMembersPerAnswer)
            {
                statistics.OverCap();
                return;
            }
            _announcedThisRound[pipe] = announced + 1;
        }
        _round[key] = (member, pipe);
    }

    /// <summary>Ends the round: applies its answers, ages the silent members, removes those past their missed rounds; true when the member set changed.</summary>
    public bool EndRound()
    {
        bool changed = false;
        foreach (var (key, entry) in _entries.Where(e => !_round.ContainsKey(e.Key)).ToList())
        {
            if (++entry.Missed >= options.MissedRounds)
            {
                _entries.Remove(key);
                statistics.Removed();
                if (options.Logger is { } logger)
                {
                    LogLeft(logger, options.SurveyUrl, entry.Member.Service, entry.Member.Address, entry.Missed);
                }
                changed = true;
            }
        }
        int refused = 0;
        Dictionary<uint, int> held = ListedPerConnection();
        foreach (var (key, (member, pipe)) in _round)
        {
            bool exists = _entries.TryGetValue(key, out Entry? entry);
            if ((!exists || entry!.Owner != pipe) && held.GetValueOrDefault(pipe) >= options.MaxMembersPerAnswer)
            {
                // The per-round cap alone let a connection whose answers the surveyor's queue thinned differently
                // each round keep a different 16 listed per round until they aged out (31 seen at once).
                statistics.OverCap();
                continue;
            }
            if (exists)
            {
                if (entry!.Owner != pipe)
                {
                    held[entry.Owner] = held.GetValueOrDefault(entry.Owner) - 1;
                    held[pipe] = held.GetValueOrDefault(pipe) + 1;
                }
                changed |= !entry.Member.Equals(member);
                entry.Member = member;
                entry.Owner = pipe;
                entry.Missed = 0;
            }
            else if (_entries.Count >= options.MaxMembers)
            {
                refused++;
                statistics.Refused();
            }
            else
            {
                _entries[key] = new Entry { Member = member, Owner = pipe };
                held[pipe] = held.GetValueOrDefault(pipe) + 1;
                statistics.Added();
                if (options.Logger is { } logger)
                {
                    LogJoined(logger, options.SurveyUrl, member.Service, member.Address);
                }
                changed = true;
            }
        }
        ReportFull(refused);
        _round.Clear();
        _announcedThisRound.Clear();
        ForgetClosedPipesNobodyOwns();
        return changed;
    }

    private Dictionary<uint, int> ListedPerConnection()
    {
        var held = new Dictionary<uint, int>();
        foreach (Entry entry in _entries.Values)
        {
            held[entry.Owner] = held.GetValueOrDefault(entry.Owner) + 1;
        }
        return held;
    }

    private bool OwnedByAnother((string, string) key, uint pipe) =>
        _entries.TryGetValue(key, out Entry? entry) && entry.Owner != pipe && !_closedPipes.ContainsKey(entry.Owner);

    private void ReportFull(int refused)
    {
        if (refused > 0 && !_fullLogged)
        {
            _fullLogged = true; // once per episode: a full table under attack must not flood the log
            if (options.Logger is { } logger)
            {
                LogFull(logger, options.SurveyUrl, options.MaxMembers, refused);
            }
        }
        else if (_entries.Count < options.MaxMembers)
        {
            _fullLogged = false;
        }
    }

    private void ForgetClosedPipesNobodyOwns()
    {
        if (_closedPipes.IsEmpty)
        {
            return;
        }
        var owners = _entries.Values.Select(e => e.Owner).ToHashSet();
        foreach (uint pipe in _closedPipes.Keys)
        {
            if (!owners.Contains(pipe))
            {
                _closedPipes.TryRemove(pipe, out _);
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "discovery registry {SurveyUrl} is full ({MaxMembers} members): refused {Refused} new members this round (RegistryOptions.MaxMembers)")]
    private static partial void LogFull(ILogger logger, string surveyUrl, int maxMembers, int refused);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "discovery registry {SurveyUrl}: {Service} member {Address} joined")]
    private static partial void LogJoined(ILogger logger, string surveyUrl, string service, string address);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "discovery registry {SurveyUrl}: {Service} member {Address} left (silent for {Rounds} rounds)")]
    private static partial void LogLeft(ILogger logger, string surveyUrl, string service, string address, int rounds);

    private sealed class Entry
    {
        public required ServiceMember Member { get; set; }

        public uint Owner { get; set; }

        public int Missed { get; set; }
    }
}
