using System.Globalization;
using System.Text.RegularExpressions;
using SpNet.TestKit;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>
/// Several "hosts" on one LAN: a network namespace per host (<c>eth0</c>, 10.79.X.N/24, N = 1…) and a hub namespace
/// holding the bridge that every host's veth pair ends on. A host is partitioned by taking its port off the bridge:
/// both sides keep their interfaces up and every packet to or from that host vanishes without an error, as a cut
/// somewhere along the path would (the partition test's mechanism, for N hosts). Names carry the creating process's
/// id and a random tag (<c>spnc-PID-TAG-…</c>), so parallel runs never collide, and a run whose process is gone (killed
/// test run) is recognised as a leftover and deleted by the next one. Interfaces live only inside the namespaces, so
/// nothing is added to the host's own network. Disposing deletes every namespace (their interfaces go with them).
/// </summary>
internal sealed partial class BridgedHosts : IDisposable
{
    private const string Prefix = "spnc-";
    private const string Bridge = "br0";
    private readonly LinkControl?[] _links;

    private BridgedHosts(int count)
    {
        string tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6];
        Name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Environment.ProcessId}-{tag}");
        Hub = $"{Name}-hub";
        // The addresses exist only inside the namespaces; a random third octet keeps two concurrent runs' logs apart.
        int x = Random.Shared.Next(1, 255);
        Hosts = [.. Enumerable.Range(1, count).Select(n => $"{Name}-h{n}")];
        Addresses = [.. Enumerable.Range(1, count).Select(n => string.Create(CultureInfo.InvariantCulture, $"10.79.{x}.{n}"))];
        _links = new LinkControl?[count];
    }

    /// <summary>This run's name prefix (<c>spnc-PID-TAG</c>).</summary>
    public string Name { get; }

    /// <summary>The namespace that holds the bridge.</summary>
    public string Hub { get; }

    /// <summary>Host namespaces, index 0 = host 1.</summary>
    public IReadOnlyList<string> Hosts { get; }

    /// <summary>Each host's address on the LAN, index 0 = host 1.</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Deletes leftovers of killed runs, then builds <paramref name="count"/> hosts (at most 250) on one bridge.</summary>
    public static BridgedHosts Create(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 250);
        DeleteLeftovers();
        var net = new BridgedHosts(count);
        try
        {
            IpTool.Must("netns", "add", net.Hub);
            IpTool.Must("-n", net.Hub, "link", "add", Bridge, "type", "bridge");
            IpTool.Must("-n", net.Hub, "link", "set", Bridge, "up");
            IpTool.Must("-n", net.Hub, "link", "set", "lo", "up");
            for (int i = 0; i < count; i++)
            {
                string host = net.Hosts[i], port = Port(i);
                IpTool.Must("netns", "add", host);
                IpTool.Must("-n", net.Hub, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host);
                IpTool.Must("-n", net.Hub, "link", "set", port, "master", Bridge);
                IpTool.Must("-n", net.Hub, "link", "set", port, "up");
                IpTool.Must("-n", host, "addr", "add", $"{net.Addresses[i]}/24", "dev", "eth0");
                IpTool.Must("-n", host, "link", "set", "eth0", "up");
                IpTool.Must("-n", host, "link", "set", "lo", "up");
            }
        }
        catch
        {
            net.Dispose();
            throw;
        }
        return net;
    }

    /// <summary>
    /// Starts <paramref name="tool"/> inside host <paramref name="host"/> (1-based). <c>ip netns exec</c> execs it, so
    /// the process is the tool itself: killing it kills the tool, and its pid is the tool's (for RSS and threads).
    /// </summary>
    public PeerProcess Start(int host, PeerTool tool, TimeSpan lifetime, params string[] arguments) =>
        PeerProcess.Start("ip", ["netns", "exec", Hosts[host - 1], tool.FileName, .. tool.Arguments(arguments)], lifetime);

    /// <summary>Cuts host <paramref name="host"/> (1-based) off the LAN, or puts it back; returns once done.</summary>
    public Task SetConnectedAsync(int host, bool connected)
    {
        LinkControl link = _links[host - 1] ??= new LinkControl(Hub, Port(host - 1), Bridge);
        return link.SetAsync(connected);
    }

    /// <summary>Ends the link controls and deletes every namespace of this run.</summary>
    public void Dispose()
    {
        foreach (LinkControl? link in _links)
        {
            link?.Dispose();
        }
        foreach (string host in Hosts)
        {
            IpTool.Run("netns", "del", host);
        }
        IpTool.Run("netns", "del", Hub);
    }

    private static string Port(int index) => string.Create(CultureInfo.InvariantCulture, $"p{index + 1}");

    /// <summary>
    /// Deletes namespaces named by a run of ours whose process no longer exists (never another live run's), after
    /// killing the processes still inside them (that run's peers, orphaned when it was killed).
    /// </summary>
    private static void DeleteLeftovers()
    {
        (int code, string list, _) = IpTool.Run("netns", "list");
        if (code != 0)
        {
            return;
        }
        foreach (string line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Match m = Ours().Match(line);
            if (m.Success && int.TryParse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture, out int pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                string ns = m.Groups[1].Value;
                foreach (string pid2 in IpTool.Run("netns", "pids", ns).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    KillOrphan(pid2);
                }
                IpTool.Run("netns", "del", ns);
            }
        }
    }

    private static void KillOrphan(string pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture));
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or System.ComponentModel.Win32Exception)
        {
            // Gone already, or not a pid: nothing to kill.
        }
    }

    // "spnc-1234-abcdef-h3 (id: 7)": the name, and in it the pid of the run that made it.
    [GeneratedRegex(@"^(spnc-(\d+)-[0-9a-f]{6}-(?:hub|h\d+))(?:\s|$)")]
    private static partial Regex Ours();
}
