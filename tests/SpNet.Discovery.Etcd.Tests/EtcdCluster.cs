using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using SpNet.TestKit;

namespace SpNet.Discovery.Etcd.Tests;

/// <summary>
/// A real etcd cluster of one or more nodes on loopback (free ports, a temporary data directory), started from the
/// installed <c>etcd</c> (Debian etcd-server). Nodes can be killed; everything is killed and deleted on dispose.
/// </summary>
internal sealed class EtcdCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_lifetime = TimeSpan.FromMinutes(5);
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), $"spnet-etcd-{Guid.NewGuid():N}");
    private readonly string _token = $"spnet-{Guid.NewGuid():N}";
    private readonly PeerSlots _nodes;
    private readonly TestCertificates? _tls;

    private EtcdCluster(int size, TestCertificates? tls)
    {
        _nodes = new PeerSlots(size);
        _tls = tls;
        // With TLS the clients dial the name in the test server certificate (localhost; etcd binds it as loopback).
        ClientUrls = [.. Enumerable.Range(0, size).Select(_ => tls is null ? $"http://127.0.0.1:{TestNetwork.FreePort()}" : $"https://localhost:{TestNetwork.FreePort()}")];
        PeerUrls = [.. Enumerable.Range(0, size).Select(_ => $"http://127.0.0.1:{TestNetwork.FreePort()}")];
    }

    /// <summary>Each node's client URL, in node order.</summary>
    public IReadOnlyList<string> ClientUrls { get; }

    private IReadOnlyList<string> PeerUrls { get; }

    /// <summary>
    /// Starts <paramref name="size"/> nodes and waits until every one reports healthy (a leader is elected). With
    /// <paramref name="tls"/>, clients must use https with a client certificate from its CA (etcd's --client-cert-auth).
    /// </summary>
    public static async Task<EtcdCluster> StartAsync(int size, TestCertificates? tls = null)
    {
        var cluster = new EtcdCluster(size, tls);
        try
        {
            if (tls is not null)
            {
                Directory.CreateDirectory(cluster._dataRoot);
                tls.WritePem(cluster._dataRoot);
            }
            for (int i = 0; i < size; i++)
            {
                await cluster.StartNodeAsync(i);
            }
            for (int i = 0; i < size; i++)
            {
                await cluster.WaitHealthyAsync(i);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills node <paramref name="index"/> (SIGKILL: no goodbye to its peers or clients).</summary>
    public void Kill(int index) => _nodes.Kill(index);

    /// <summary>Starts killed node <paramref name="index"/> again on its data directory and ports; waits until it is healthy.</summary>
    public async Task RestartAsync(int index)
    {
        await StartNodeAsync(index);
        await WaitHealthyAsync(index);
    }

    private Task StartNodeAsync(int i)
    {
        string[] tls = _tls is null ? [] :
        [
            "--cert-file", Path.Combine(_dataRoot, "srv.pem"), "--key-file", Path.Combine(_dataRoot, "srv.key"),
            "--client-cert-auth", "--trusted-ca-file", Path.Combine(_dataRoot, "ca.pem"),
        ];
        return _nodes.StartAsync(i, () => PeerProcess.Start(Peers.Require(Peers.Etcd), s_lifetime, [.. tls,
            "--name", $"n{i}",
            "--data-dir", Path.Combine(_dataRoot, $"n{i}"),
            "--listen-client-urls", ClientUrls[i],
            "--advertise-client-urls", ClientUrls[i],
            "--listen-peer-urls", PeerUrls[i],
            "--initial-advertise-peer-urls", PeerUrls[i],
            "--initial-cluster", string.Join(",", PeerUrls.Select((url, n) => $"n{n}={url}")),
            "--initial-cluster-token", _token,
            "--initial-cluster-state", "new",
            "--logger", "zap", "--log-level", "warn"]));
    }

    private async Task WaitHealthyAsync(int i)
    {
        using var handler = new SocketsHttpHandler();
        if (_tls is not null)
        {
            var trust = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            trust.CustomTrustStore.Add(_tls.Ca);
            handler.SslOptions.CertificateChainPolicy = trust;
            handler.SslOptions.ClientCertificates = [_tls.Client];
        }
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        string health = ClientUrls[i] + "/health";
        await Eventually.True(() => IsHealthy(http, health, i), $"etcd node n{i} healthy at {health}", TimeSpan.FromSeconds(60));
    }

    /// <summary>Stderr of every node, for failure messages.</summary>
    public string Logs => string.Join("\n", Enumerable.Range(0, _nodes.Count).Select(i => $"--- n{i}:\n{_nodes[i]?.StandardError}"));

    public async ValueTask DisposeAsync()
    {
        await _nodes.DisposeAsync();
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private bool IsHealthy(HttpClient http, string url, int node)
    {
        if (_nodes[node] is { HasExited: true } exited)
        {
            throw new InvalidOperationException($"etcd node n{node} exited ({exited.ExitCode}):\n{exited.StandardError}");
        }
        try
        {
            return http.GetStringAsync(url).GetAwaiter().GetResult().Contains("\"health\":\"true\"", StringComparison.Ordinal);
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    public override string ToString() => string.Join(",", ClientUrls);

    internal static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
