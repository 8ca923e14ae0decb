// A peer list kept in sync through discovery (the groupcache use case): every cache node registers itself as
// service "cache" and follows the registry, so each node always knows the full set of peers to shard keys over.
// Run: dotnet run --project samples/Discovery.PeerList
using SpNet;
using SpNet.Discovery;

var options = new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0", Interval = TimeSpan.FromMilliseconds(250) };
await using var registry = new Registry(options);
await registry.StartAsync();
Console.WriteLine($"registry: survey {registry.SurveyUrl}, publish {registry.PublishUrl}");

using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
var nodes = new List<CacheNode>();
for (int i = 0; i < 3; i++)
{
    nodes.Add(CacheNode.Start($"node{i}", registry));
}
await Task.WhenAll(nodes.Select(n => n.WaitForPeersAsync(3, timeout.Token)));
Console.WriteLine("every node sees 3 peers; key 'user:42' is owned by " + string.Join(", ", nodes.Select(n => $"{n.Name}→{n.OwnerOf("user:42")}")));

Console.WriteLine("node2 leaves…");
await nodes[2].DisposeAsync();
nodes.RemoveAt(2);
await Task.WhenAll(nodes.Select(n => n.WaitForPeersAsync(2, timeout.Token)));
Console.WriteLine("every node sees 2 peers; key 'user:42' is owned by " + string.Join(", ", nodes.Select(n => $"{n.Name}→{n.OwnerOf("user:42")}")));

foreach (CacheNode node in nodes)
{
    await node.DisposeAsync();
}

/// <summary>One cache node: registers its address and keeps its peer list from the registry's snapshots.</summary>
internal sealed class CacheNode : IAsyncDisposable
{
    private readonly RepSocket _socket = new();
    private readonly ServiceRegistration _registration;
    private readonly DiscoveryClient _discovery;

    private CacheNode(string name, Registry registry)
    {
        Name = name;
        string address = _socket.Listen("tcp://127.0.0.1:0").Url; // where peers would fetch keys from
        _registration = ServiceRegistration.Start(registry.SurveyUrl, new ServiceMember("cache", address));
        _discovery = DiscoveryClient.Start(registry.PublishUrl);
        _discovery.Changed += (_, snapshot) => Console.WriteLine($"  {Name}: peers v{snapshot.Version} = [{string.Join(", ", snapshot.MembersOf("cache").Select(m => m.Address))}]");
    }

    public string Name { get; }

    public static CacheNode Start(string name, Registry registry) => new(name, registry);

    public Task WaitForPeersAsync(int count, CancellationToken cancellationToken) =>
        _discovery.WaitForAsync(s => s.MembersOf("cache").Count == count, cancellationToken);

    /// <summary>Rendezvous hashing over the current peer list: every node picks the same owner for a key.</summary>
    public string OwnerOf(string key) =>
        _discovery.Current.MembersOf("cache").MaxBy(m => Hash(key + "|" + m.Address))!.Address;

    private static ulong Hash(string text)
    {
        ulong hash = 14695981039346656037;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211;
        }
        return hash;
    }

    public async ValueTask DisposeAsync()
    {
        await _registration.DisposeAsync();
        await _discovery.DisposeAsync();
        await _socket.DisposeAsync();
    }
}
