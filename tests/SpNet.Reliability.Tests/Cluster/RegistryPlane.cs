using System.Globalization;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>
/// SP registries, one per given host: <c>spcat discovery serve</c> with the default heartbeat (1 s interval, 2 missed
/// rounds), surveying on port 7000 and publishing on 7001 of the host's address (a namespace has its own ports, so fixed
/// ports cannot collide, and a restarted registry is found where its members and clients left it).
/// </summary>
internal sealed class RegistryPlane(BridgedHosts net, PeerTool spcat, int[] hosts, TimeSpan lifetime) : IControlPlane
{
    private const int MissedRounds = 2;
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(1);
    private readonly PeerSlots _nodes = new(hosts.Length);

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"{hosts.Length} SP registries");

    /// <inheritdoc/>
    public IReadOnlyList<string> Arguments { get; } =
        [.. hosts.SelectMany(h => new[] { "--survey", Url(net, h, 7000), "--publish", Url(net, h, 7001) })];

    /// <inheritdoc/>
    public IReadOnlyList<string> HostArguments => [];

    /// <summary>A member missing M rounds goes at the end of the M-th: M·I plus the survey deadline I/2.</summary>
    public TimeSpan NominalLeave => s_interval * MissedRounds + s_interval / 2;

    /// <inheritdoc/>
    public int Count => hosts.Length;

    /// <inheritdoc/>
    public IEnumerable<(string Role, PeerProcess Process)> Processes =>
        _nodes.Running(i => $"registry r{i + 1}");

    /// <inheritdoc/>
    public async Task StartAsync(int index)
    {
        int host = hosts[index];
        PeerProcess node = await _nodes.StartAsync(index, () => net.Start(host, spcat, lifetime, "discovery", "serve", "--survey", Url(net, host, 7000), "--publish", Url(net, host, 7001),
            "--interval", s_interval.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--missed", MissedRounds.ToString(CultureInfo.InvariantCulture)));
        // serve prints its bound addresses first: once a line is out, both sockets listen.
        await node.WaitForLinesAsync(2, TimeSpan.FromSeconds(60));
    }

    /// <summary>Each running registry's latest change line (<c>version V: N members in S services</c>) says <paramref name="members"/>.</summary>
    public bool EveryNodeLists(int members) =>
        _nodes.Running(i => $"r{i + 1}").All(n => n.Process.OutputLines is [.., string last] &&
            last.Contains(string.Create(CultureInfo.InvariantCulture, $": {members} members in "), StringComparison.Ordinal));

    /// <inheritdoc/>
    public void Kill(int index) => _nodes.Kill(index);

    /// <inheritdoc/>
    public bool IsRunning(int index) => _nodes.IsRunning(index);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _nodes.DisposeAsync();

    private static string Url(BridgedHosts net, int host, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"tcp://{net.Addresses[host - 1]}:{port}");
}
