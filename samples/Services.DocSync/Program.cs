// A Zinc-style document sync: every edit to a shared document is published on a topic; each peer applies them in
// order. A late joiner subscribes first (holding what arrives), catches up over a tunnel from a peer that sends
// its copy with the sequence number it reached, then applies the held edits past that number and follows the topic.
// Run: dotnet run --project samples/Services.DocSync
using System.Globalization;
using System.Text;
using SpNet;
using SpNet.Discovery;

await using var registry = new Registry(new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0", Interval = TimeSpan.FromMilliseconds(250) });
await registry.StartAsync();
RegistryEndpoint[] registries = [new(registry.SurveyUrl, registry.PublishUrl)];
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

await using var editor = ServiceClient.Start(new ServiceClientOptions { Registries = registries });
await using Peer first = await Peer.StartAsync("peer-a", registries);
await using Peer second = await Peer.StartAsync("peer-b", registries);
if (!await editor.WaitForTopicSubscribersAsync(2, TimeSpan.FromSeconds(10), timeout.Token))
{
    throw new TimeoutException("peers did not subscribe");
}
int sequence = 0;
async Task EditAsync(int count)
{
    for (int i = 0; i < count; i++)
    {
        sequence++;
        await editor.PublishAsync("doc-edits", Encoding.UTF8.GetBytes($"{sequence}:line {sequence}"), timeout.Token);
        await Task.Delay(5, timeout.Token); // a person typing, not a flood (PUB drops for a subscriber that falls behind)
    }
}
await EditAsync(20);
await first.WaitForAsync(sequence, timeout.Token);
Console.WriteLine($"peer-a has {first.Lines.Count} lines");

await using Peer late = await Peer.StartAsync("peer-c", registries, catchUpFrom: "docs", timeout.Token);
Console.WriteLine($"peer-c caught up over a tunnel: {late.Lines.Count} lines");
if (!await editor.WaitForTopicSubscribersAsync(3, TimeSpan.FromSeconds(10), timeout.Token))
{
    throw new TimeoutException("the late peer did not subscribe");
}
await EditAsync(10);
await late.WaitForAsync(sequence, timeout.Token);
await first.WaitForAsync(sequence, timeout.Token);
bool same = late.Lines.SequenceEqual(first.Lines) && second.Lines.SequenceEqual(first.Lines);
Console.WriteLine(same ? $"in sync: {late.Lines.Count} lines on every peer" : "OUT OF SYNC");
return same ? 0 : 1;

/// <summary>A peer: a copy of the document, following the edits topic, serving its copy over tunnels as service "docs".</summary>
internal sealed class Peer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private readonly SortedDictionary<int, string> _held = [];
    private readonly ServiceClient _client;
    private ServiceHost? _host;
    private IAsyncDisposable? _subscription;
    private int _reached;
    private bool _caughtUp;

    private Peer(ServiceClient client) => _client = client;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_gate)
            {
                return [.. _lines];
            }
        }
    }

    public static async Task<Peer> StartAsync(string name, RegistryEndpoint[] registries, string? catchUpFrom = null, CancellationToken cancellationToken = default)
    {
        var peer = new Peer(ServiceClient.Start(new ServiceClientOptions { Registries = registries }));
        peer._caughtUp = catchUpFrom is null;
        peer._subscription = await peer._client.SubscribeAsync("doc-edits", (body, _) => peer.OnEdit(Encoding.UTF8.GetString(body)), cancellationToken);
        if (catchUpFrom is not null)
        {
            await peer.CatchUpAsync(catchUpFrom, cancellationToken);
        }
        peer._host = await ServiceHost.StartAsync(new ServiceHostOptions { Service = "docs", Registries = registries, Meta = new Dictionary<string, string> { ["peer"] = name } }, cancellationToken);
        peer._host.OnTunnel(peer.SendCopyAsync);
        return peer;
    }

    public async Task WaitForAsync(int sequence, CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _reached) < sequence)
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }
        await _client.DisposeAsync();
    }

    /// <summary>An edit is "sequence:text"; applied in order, held while catching up.</summary>
    private ValueTask OnEdit(string edit)
    {
        int colon = edit.IndexOf(':', StringComparison.Ordinal);
        int sequence = int.Parse(edit[..colon], CultureInfo.InvariantCulture);
        lock (_gate)
        {
            _held[sequence] = edit[(colon + 1)..];
            if (_caughtUp)
            {
                ApplyHeld();
            }
        }
        return ValueTask.CompletedTask;
    }

    private void ApplyHeld()
    {
        foreach (var (sequence, text) in _held.ToList())
        {
            if (sequence <= _reached)
            {
                _held.Remove(sequence); // already in the copy we caught up with
            }
            else if (sequence == _reached + 1)
            {
                _lines.Add(text);
                _held.Remove(sequence);
                Volatile.Write(ref _reached, sequence);
            }
        }
    }

    /// <summary>The first message is the sequence reached, then one line per message.</summary>
    private async Task CatchUpAsync(string service, CancellationToken cancellationToken)
    {
        await _client.Discovery.WaitForAsync(s => s.MembersOf(service).Count > 0, cancellationToken);
        await using Tunnel tunnel = await _client.OpenTunnelAsync(service, cancellationToken);
        int reached = int.Parse(Encoding.UTF8.GetString((await tunnel.ReceiveAsync(cancellationToken))!), CultureInfo.InvariantCulture);
        var copy = new List<string>();
        while (await tunnel.ReceiveAsync(cancellationToken) is { } line)
        {
            copy.Add(Encoding.UTF8.GetString(line));
        }
        lock (_gate)
        {
            _lines.AddRange(copy);
            Volatile.Write(ref _reached, reached);
            _caughtUp = true;
            ApplyHeld();
        }
    }

    private async Task SendCopyAsync(Tunnel tunnel, CancellationToken cancellationToken)
    {
        string[] copy;
        int reached;
        lock (_gate)
        {
            copy = [.. _lines];
            reached = _reached;
        }
        await tunnel.SendAsync(Encoding.UTF8.GetBytes(reached.ToString(CultureInfo.InvariantCulture)), cancellationToken);
        foreach (string line in copy)
        {
            await tunnel.SendAsync(Encoding.UTF8.GetBytes(line), cancellationToken);
        }
    }
}
