using System.Globalization;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>
/// An etcd cluster with one node per given host (client port 2379, peer port 2380 of the host's address), data in a
/// directory of this run, deleted on dispose. Members register with a 3 s lease (<c>--ttl 3</c>), so a dead member is
/// dropped within 3 s. A killed node restarts on its data directory and rejoins its cluster.
/// </summary>
internal sealed class EtcdPlane : IControlPlane
{
    private const int LeaseSeconds = 3;
    private readonly BridgedHosts _net;
    private readonly PeerTool _etcd;
    private readonly int[] _hosts;
    private readonly TimeSpan _lifetime;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"spnet-cluster-etcd-{Guid.NewGuid():N}");
    private readonly PeerSlots _nodes;

    /// <summary>A plane of one etcd node per host in <paramref name="hosts"/> (not started yet).</summary>
    public EtcdPlane(BridgedHosts net, PeerTool etcd, int[] hosts, TimeSpan lifetime)
    {
        _net = net;
        _etcd = etcd;
        _hosts = hosts;
        _lifetime = lifetime;
        _nodes = new PeerSlots(hosts.Length);
        Arguments = ["--etcd", string.Join(',', hosts.Select(h => Url(h, 2379)))];
        Directory.CreateDirectory(_data);
    }

    /// <inheritdoc/>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"etcd, {_hosts.Length} nodes");

    /// <inheritdoc/>
    public IReadOnlyList<string> Arguments { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> HostArguments => ["--ttl", LeaseSeconds.ToString(CultureInfo.InvariantCulture)];

    /// <inheritdoc/>
    public TimeSpan NominalLeave => TimeSpan.FromSeconds(LeaseSeconds);

    /// <inheritdoc/>
    public int Count => _hosts.Length;

    /// <inheritdoc/>
    public IEnumerable<(string Role, PeerProcess Process)> Processes =>
        _nodes.Running(i => $"etcd e{i + 1}");

    /// <summary>
    /// Starts node <paramref name="index"/>. Readiness is not awaited here: a node alone has no quorum, so the run
    /// waits for the cluster through its watcher (the first snapshot needs a leader).
    /// </summary>
    public async Task StartAsync(int index)
    {
        int host = _hosts[index];
        await _nodes.StartAsync(index, () => _net.Start(host, _etcd, _lifetime,
            "--name", $"e{index + 1}",
            "--data-dir", Path.Combine(_data, $"e{index + 1}"),
            "--listen-client-urls", Url(host, 2379),
            "--advertise-client-urls", Url(host, 2379),
            "--listen-peer-urls", Url(host, 2380),
            "--initial-advertise-peer-urls", Url(host, 2380),
            "--initial-cluster", string.Join(',', _hosts.Select((h, i) => $"e{i + 1}={Url(h, 2380)}")),
            "--initial-cluster-token", _net.Name,
            "--initial-cluster-state", "new",
            "--logger", "zap", "--log-level", "warn"));
    }

    /// <inheritdoc/>
    public bool EveryNodeLists(int members) => true;

    /// <inheritdoc/>
    public void Kill(int index) => _nodes.Kill(index);

    /// <inheritdoc/>
    public bool IsRunning(int index) => _nodes.IsRunning(index);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A node still flushing as it dies; the directory is under the temp root and small.
        }
    }

    private string Url(int host, int port) => string.Create(CultureInfo.InvariantCulture, $"http://{_net.Addresses[host - 1]}:{port}");
}
