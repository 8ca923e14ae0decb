using System.Globalization;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>
/// The processes of a namespace cluster run, by role: service members (<c>spcat service host --echo</c>), request
/// clients (<c>spcat service request --keep-going</c>, one numbered request after another), a discovery watcher
/// (<c>spcat discovery watch</c>), and topic publishers and subscribers; all timed on one <see cref="Timeline"/>.
/// Every process ever started is kept (a killed member's output still counts), and all are killed on dispose.
/// </summary>
internal sealed class ClusterRun(BridgedHosts net, IControlPlane plane, PeerTool spcat, Timeline timeline, TimeSpan lifetime) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<PeerProcess> _all = [];
    private readonly Dictionary<string, Member> _members = new(StringComparer.Ordinal);
    private readonly List<Member> _everyMember = [];

    /// <summary>The hosts.</summary>
    public BridgedHosts Net => net;

    /// <summary>The discovery plane.</summary>
    public IControlPlane Plane => plane;

    /// <summary>The run's clock.</summary>
    public Timeline Timeline => timeline;

    /// <summary>The watcher, once started.</summary>
    public TimedLines? Watcher { get; private set; }

    /// <summary>The request clients started so far.</summary>
    public List<RequestClient> Clients { get; } = [];

    /// <summary>The topic subscribers started so far.</summary>
    public List<(int Host, TimedLines Lines)> Subscribers { get; } = [];

    /// <summary>The live members, keyed <c>service@hN</c>.</summary>
    public IReadOnlyDictionary<string, Member> Members => _members;

    /// <summary>Every member process ever started (killed ones too).</summary>
    public IReadOnlyList<Member> EveryMember => _everyMember;

    /// <summary>Starts member <c>service@hN</c> and waits (bounded) until it prints the address it listens on.</summary>
    public async Task<Member> StartMemberAsync(string service, int host)
    {
        PeerProcess process = Start(host, ["service", "host", "--service", service, .. plane.Arguments, .. plane.HostArguments,
            "--echo", "--address", $"tcp://{net.Addresses[host - 1]}:0"]);
        TimedLines lines = timeline.Track(process);
        IReadOnlyList<string> first = await process.WaitForLinesAsync(1, TimeSpan.FromSeconds(60));
        string prefix = $"host {service} at ";
        string address = first[0].StartsWith(prefix, StringComparison.Ordinal) ? first[0][prefix.Length..] : throw new InvalidOperationException(process.Describe());
        var member = new Member(service, host, lines, address, timeline.Now);
        lock (_gate)
        {
            // Members may be started together (Task.WhenAll); their continuations land here on different threads.
            _members[member.Key] = member;
            _everyMember.Add(member);
        }
        return member;
    }

    /// <summary>Kills member <paramref name="key"/> (SIGKILL) and forgets it as live.</summary>
    public Member KillMember(string key)
    {
        Member member = _members[key];
        member.Lines.Process.Kill();
        _members.Remove(key);
        return member;
    }

    /// <summary>
    /// The common start of a run: every control-plane node, the watcher on h2, and a member of each of
    /// <paramref name="services"/> on h3, h4 and h5 (the caller then waits for the watcher to list them all).
    /// </summary>
    public async Task StartPlaneWatcherAndMembersAsync(IEnumerable<string> services)
    {
        for (int i = 0; i < plane.Count; i++)
        {
            await plane.StartAsync(i);
        }
        StartWatcher(2);
        await Task.WhenAll(services.SelectMany(s => new[] { 3, 4, 5 }.Select(h => StartMemberAsync(s, h))));
    }

    /// <summary>Starts the discovery watcher on <paramref name="host"/>.</summary>
    public void StartWatcher(int host) => Watcher = timeline.Track(Start(host, ["discovery", "watch", .. plane.Arguments]));

    /// <summary>True when the watcher's latest snapshot lists every one of <paramref name="addresses"/>.</summary>
    public bool WatcherLists(IEnumerable<string> addresses) =>
        Watcher?.Process.OutputLinesFrom(Math.Max(0, Watcher.Count - 1)) is [.. , string last] && addresses.All(a => last.Contains($"\"{a}\"", StringComparison.Ordinal));

    /// <summary>True when the watcher's latest snapshot lists none of <paramref name="addresses"/>.</summary>
    public bool WatcherListsNone(IEnumerable<string> addresses) =>
        Watcher?.Process.OutputLinesFrom(Math.Max(0, Watcher.Count - 1)) is [.. , string last] && !addresses.Any(a => last.Contains($"\"{a}\"", StringComparison.Ordinal));

    /// <summary>Starts a client on <paramref name="host"/> sending numbered requests (<c>S{n}</c>) to <paramref name="service"/>, <paramref name="interval"/> apart.</summary>
    public RequestClient StartClient(string service, int host, TimeSpan interval)
    {
        PeerProcess process = Start(host, ["service", "request", "--service", service, .. plane.Arguments, "--data", service + "{n}",
            "--count", "100000000", "--interval", interval.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--keep-going", "--timeout", "20"]);
        var client = new RequestClient(service, host, timeline.Track(process));
        Clients.Add(client);
        return client;
    }

    /// <summary>Starts a subscriber of <paramref name="topic"/> on <paramref name="host"/>.</summary>
    public TimedLines StartSubscriber(string topic, int host)
    {
        TimedLines lines = timeline.Track(Start(host, ["service", "subscribe", "--topic", topic, .. plane.Arguments]));
        Subscribers.Add((host, lines));
        return lines;
    }

    /// <summary>The topic publisher, once started.</summary>
    public (int Host, PeerProcess Process)? Publisher { get; private set; }

    /// <summary>Starts a publisher of <paramref name="topic"/> on <paramref name="host"/>: numbered messages (<c>m{n}</c>), <paramref name="interval"/> apart.</summary>
    public PeerProcess StartPublisher(string topic, int host, TimeSpan interval)
    {
        PeerProcess process = Start(host, ["service", "publish", "--topic", topic, .. plane.Arguments, "--address", $"tcp://{net.Addresses[host - 1]}:0",
            "--data", "m{n}", "--count", "100000000", "--interval", interval.TotalSeconds.ToString(CultureInfo.InvariantCulture)]);
        Publisher = (host, process);
        return process;
    }

    /// <summary>Every running process of the run with its role (e.g. <c>member a@h3</c>), for RSS and thread figures.</summary>
    public IEnumerable<(string Role, PeerProcess Process)> Running()
    {
        IEnumerable<(string, PeerProcess)> all = plane.Processes
            .Concat(_members.Values.Select(m => ($"member {m.Key}", m.Lines.Process)))
            .Concat(Clients.Select(c => ($"client {c.Service}@h{c.Host}", c.Lines.Process)))
            .Concat(Subscribers.Select(s => ($"subscriber @h{s.Host}", s.Lines.Process)));
        if (Watcher is not null)
        {
            all = all.Append(("watcher", Watcher.Process));
        }
        if (Publisher is { } publisher)
        {
            all = all.Append(($"publisher @h{publisher.Host}", publisher.Process));
        }
        return all.Where(p => !p.Item2.HasExited);
    }

    /// <summary>
    /// Requests that reached more than one member (the same numbered request printed by two): a REQ resend after a
    /// member was lost. A lower bound, since a member killed before it printed a request does not show it.
    /// </summary>
    public int Resent()
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Member member in _everyMember)
        {
            foreach (string line in member.Lines.Process.OutputLinesFrom(1))
            {
                if (line.StartsWith("request ", StringComparison.Ordinal))
                {
                    seen[line] = seen.GetValueOrDefault(line) + 1;
                }
            }
        }
        return seen.Values.Count(n => n > 1);
    }

    /// <summary>Every process started (killed ones too) and the plane's running nodes, each cut to its first 1,000 and last 2,000 characters, for failure messages.</summary>
    public string Describe() => string.Join("\n\n", _all.Concat(plane.Processes.Select(p => p.Process)).Select(p => p.Describe())
        .Select(d => d.Length <= 3_000 ? d : d[..1_000] + "\n…\n" + d[^2_000..]));

    /// <summary>Kills every process.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (PeerProcess process in _all)
        {
            await process.DisposeAsync();
        }
    }

    private PeerProcess Start(int host, string[] arguments)
    {
        PeerProcess process = net.Start(host, spcat, lifetime, arguments);
        _all.Add(process);
        return process;
    }
}

/// <summary>A member process: <paramref name="Service"/> on host <paramref name="Host"/>, listening at <paramref name="Address"/>.</summary>
internal sealed record Member(string Service, int Host, TimedLines Lines, string Address, TimeSpan StartedAt)
{
    /// <summary><c>service@hN</c>.</summary>
    public string Key => $"{Service}@h{Host}";
}
