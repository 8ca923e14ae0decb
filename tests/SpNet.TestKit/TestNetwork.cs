using System.Net;
using System.Net.Sockets;

namespace SpNet.TestKit;

/// <summary>Loopback helpers for tests: never a fixed port, never an address other than 127.0.0.1.</summary>
public static class TestNetwork
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A TCP port on 127.0.0.1 that was free a moment ago (bound, then released), for an external process that must
    /// listen itself. Prefer <c>Listen("tcp://127.0.0.1:0")</c> whenever SpNet listens.
    /// </summary>
    /// <remarks>
    /// Binding port 0 would return a port from the kernel's ephemeral range, which the very next outgoing connection
    /// (or a parallel test's port-0 request) may take before the peer binds it. So ports are drawn at random below that
    /// range (read from /proc/sys/net/ipv4/ip_local_port_range), each at most once per test run, and checked by binding.
    /// </remarks>
    public static int FreePort()
    {
        (int low, int high) = PrivateRange();
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(low, high);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port))
                {
                    continue;
                }
            }
            if (CanBind(port))
            {
                return port;
            }
        }
        throw new InvalidOperationException($"no free TCP port found in {low}-{high} on 127.0.0.1");
    }

    private static (int Low, int High) PrivateRange()
    {
        int ephemeralLow = 32768;
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralLow = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux: assume the IANA dynamic range starts higher still.
        }
        int high = Math.Clamp(ephemeralLow, 12000, 49152);
        return (Math.Max(10000, high - 12000), high);
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary><c>tcp://127.0.0.1:PORT</c> on a <see cref="FreePort"/>.</summary>
    public static string FreeTcpUrl() => $"tcp://127.0.0.1:{FreePort()}";

    /// <summary>
    /// Waits until something accepts TCP connections on 127.0.0.1:<paramref name="port"/> (an external peer that
    /// listens), probing with connections it closes at once (an SP listener just drops them). Throws when
    /// <paramref name="owner"/> exits first or <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, PeerProcess? owner = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using (var probe = new TcpClient(AddressFamily.InterNetwork))
            {
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port).WaitAsync(timeout).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }
            if (owner is { HasExited: true })
            {
                throw new PeerProcessException($"peer exited before listening on port {port}:\n{owner.Describe()}", false);
            }
            if (clock.Elapsed >= timeout)
            {
                string who = owner is null ? "" : $":\n{owner.Describe()}";
                throw new PeerProcessException($"nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds:0.#} s{who}", true);
            }
            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
