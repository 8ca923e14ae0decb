using System.Globalization;
using SpNet.Reliability.Tests.Cluster;

namespace SpNet.Reliability.Tests.Soak;

/// <summary>
/// Random faults on a namespace cluster, from one seed: member kills (restarted 1–10 s later), host partitions
/// (1 s to <see cref="MaxPartition"/>, members' hosts only, one at a time) and registry kills (restarted 2–10 s
/// later, one registry down at a time). Faults never take a service's last reachable member, so a client without an
/// answer for long has met a discovery or resend delay, not an empty service. Every fault is undone by its due time,
/// or by <see cref="HealAllAsync"/>.
/// </summary>
internal sealed class Chaos(ClusterRun run, IReadOnlyList<string> services, int seed, TimeSpan maxPartition)
{
    private readonly Random _random = new(seed);
    private readonly List<(TimeSpan Due, string What, Func<Task> Undo)> _pending = [];
    private int? _partitioned;

    /// <summary>The longest partition drawn.</summary>
    public TimeSpan MaxPartition => maxPartition;

    /// <summary>Members killed so far.</summary>
    public int MemberKills { get; private set; }

    /// <summary>Registries killed so far.</summary>
    public int RegistryKills { get; private set; }

    /// <summary>Host partitions so far.</summary>
    public int Partitions { get; private set; }

    /// <summary>Partitioned time in all.</summary>
    public TimeSpan PartitionedTime { get; private set; }

    /// <summary>One line per fault and undo, with its time, for the report.</summary>
    public List<string> Log { get; } = [];

    /// <summary>Undoes every fault now due, then injects one new fault (if one is allowed), and returns when to act next.</summary>
    public async Task<TimeSpan> StepAsync()
    {
        await UndoDueAsync(all: false);
        switch (_random.Next(3))
        {
            case 0:
                KillMember();
                break;
            case 1:
                await PartitionAsync();
                break;
            default:
                KillRegistry();
                break;
        }
        return run.Timeline.Now + TimeSpan.FromSeconds(1 + _random.NextDouble() * 3);
    }

    /// <summary>Undoes every fault due by <paramref name="until"/>, polling every 100 ms until then.</summary>
    public async Task IdleUntilAsync(TimeSpan until)
    {
        while (run.Timeline.Now < until)
        {
            await UndoDueAsync(all: false);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Undoes every fault still in place: heals the partition, restarts killed members and registries.</summary>
    public Task HealAllAsync() => UndoDueAsync(all: true);

    private async Task UndoDueAsync(bool all)
    {
        TimeSpan now = run.Timeline.Now;
        foreach (var due in _pending.Where(p => all || p.Due <= now).ToList())
        {
            _pending.Remove(due);
            Note(due.What);
            await due.Undo();
        }
    }

    private void KillMember()
    {
        // A member may die when its service keeps another reachable member (not on the partitioned host).
        Member[] candidates = [.. run.Members.Values.Where(m => m.Host != _partitioned && Reachable(m.Service) >= 2)];
        if (candidates.Length == 0)
        {
            return;
        }
        Member victim = candidates[_random.Next(candidates.Length)];
        run.KillMember(victim.Key);
        MemberKills++;
        TimeSpan back = TimeSpan.FromSeconds(1 + _random.NextDouble() * 9);
        Note($"kill member {victim.Key}, restart in {back.TotalSeconds:0.0} s");
        _pending.Add((run.Timeline.Now + back, $"restart member {victim.Key}", () => run.StartMemberAsync(victim.Service, victim.Host)));
    }

    private async Task PartitionAsync()
    {
        if (_partitioned is not null)
        {
            return;
        }
        // Cut a members' host only when every service keeps a live member elsewhere.
        int[] hosts = [.. new[] { 3, 4, 5 }.Where(h => services.All(s => run.Members.Values.Any(m => m.Service == s && m.Host != h)))];
        if (hosts.Length == 0)
        {
            return;
        }
        int host = hosts[_random.Next(hosts.Length)];
        TimeSpan length = TimeSpan.FromSeconds(1 + _random.NextDouble() * (maxPartition.TotalSeconds - 1));
        await run.Net.SetConnectedAsync(host, connected: false);
        _partitioned = host;
        Partitions++;
        PartitionedTime += length;
        Note($"cut h{host} off for {length.TotalSeconds:0.0} s");
        _pending.Add((run.Timeline.Now + length, $"reconnect h{host}", async () =>
        {
            await run.Net.SetConnectedAsync(host, connected: true);
            _partitioned = null;
        }));
    }

    private void KillRegistry()
    {
        int[] running = [.. Enumerable.Range(0, run.Plane.Count).Where(run.Plane.IsRunning)];
        if (running.Length < run.Plane.Count)
        {
            return;
        }
        int index = running[_random.Next(running.Length)];
        run.Plane.Kill(index);
        RegistryKills++;
        TimeSpan back = TimeSpan.FromSeconds(2 + _random.NextDouble() * 8);
        Note($"kill registry r{index + 1}, restart in {back.TotalSeconds:0.0} s");
        _pending.Add((run.Timeline.Now + back, $"restart registry r{index + 1}", () => run.Plane.StartAsync(index)));
    }

    private int Reachable(string service) => run.Members.Values.Count(m => m.Service == service && m.Host != _partitioned);

    private void Note(string what) => Log.Add(string.Create(CultureInfo.InvariantCulture, $"{run.Timeline.Now.TotalSeconds,7:0.0} s  {what}"));
}
