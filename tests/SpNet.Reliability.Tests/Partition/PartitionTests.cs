using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SpNet.Reliability.Tests.Namespaces;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Partition;

/// <summary>
/// A network partition between two network namespaces joined by a veth pair, SpNet on both sides: spcat as REP in
/// namespace B, spcat as REQ in namespace A sending a request every 250 ms. B's end of the pair is a port of a bridge
/// in B that carries B's address; the link is cut by taking that port off the bridge (<c>ip link set … nomaster</c>),
/// kept cut for <c>SPNET_PARTITION_MS</c> (3 s in CI, 30 s in long mode) and restored by putting it back. Both sides
/// keep their interfaces up (A keeps carrier), and every packet either way vanishes without an error: a partition
/// somewhere along the path, not a local link failure, which the kernel would report or retry differently. Measured
/// from spcat's <c>--pipe-events</c> lines and its printed replies: whether and when each side closes its pipe, and
/// how long after the link returns the next reply arrives; and from each namespace's TCP table (<see cref="TcpTable"/>)
/// when each kernel dropped the connection, which is what "during the cut" is judged by. Three settings: none (as NNG by default), keepalive only
/// (1 s idle, 1 s interval, 1 probe), and keepalive plus a 1 s TCP user timeout. Namespaces are removed even on failure.
/// </summary>
public sealed partial class PartitionTests(ITestOutputHelper output) : UnobservedWatch
{
    /// <summary>Between requests; also the poll step's scale.</summary>
    private const string RequestInterval = "0.25";

    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(10);

    /// <summary>Replies printed this long after the cut were already on their way before it.</summary>
    private static readonly TimeSpan s_inFlight = TimeSpan.FromMilliseconds(500);

    /// <summary>How long spcat may take to print what its kernel already did, on a loaded machine.</summary>
    private static readonly TimeSpan s_reportLimit = TimeSpan.FromSeconds(30);

    private static TimeSpan Outage => TimeSpan.FromMilliseconds(Mode.Int("SPNET_PARTITION_MS", Mode.IsLong ? 30_000 : 3_000));

    /// <summary>After the link returns, TCP's retransmission backoff (up to ~30 s after a long cut) plus a reconnect.</summary>
    private static TimeSpan RecoveryLimit => TimeSpan.FromSeconds(60) + Outage;

    public static TheoryData<string> Settings => new() { "none", "keepalive", "keepalive+user-timeout" };

    [RootTheory(Peers.SpCat)]
    [MemberData(nameof(Settings))]
    public async Task Link_cut_and_restored_between_two_namespaces(string setting)
    {
        string[] tcpFlags = setting switch
        {
            "none" => [],
            "keepalive" => ["--tcp-keepalive-time", "1", "--tcp-keepalive-interval", "1", "--tcp-keepalive-count", "1"],
            "keepalive+user-timeout" => ["--tcp-keepalive-time", "1", "--tcp-keepalive-interval", "1", "--tcp-keepalive-count", "1", "--tcp-user-timeout", "1"],
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };
        PeerTool spcat = Peers.Require(Peers.SpCat);
        await using var net = TwoNamespaces.Create();
        PeerProcess? rep = null;
        PeerProcess? req = null;
        try
        {
            TimeSpan lifetime = RecoveryLimit + Outage + TimeSpan.FromSeconds(60);
            rep = net.Start(net.B, spcat, lifetime, ["--rep0", "--listen", $"tcp://{net.AddressB}:0", "-v", "-D", "pong", "--pipe-events", .. tcpFlags]);
            string url = ListeningUrl(await rep.WaitForOutputAsync(lines => lines.Any(l => l.StartsWith("Listening at: ", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "Listening at"));
            req = net.Start(net.A, spcat, lifetime, ["--req0", "--dial", url, "--async", "-D", "ping", "-i", RequestInterval, "-Q", "--pipe-events", .. tcpFlags]);
            await req.WaitForLinesAsync(4, TimeSpan.FromSeconds(30));

            // Times are taken before each link change is asked for: it happens while the command runs, so the
            // figures are upper bounds, off by at most the command's own time (printed). An ip in batch mode, started
            // now, takes the commands, so no process start (slow on a busy machine) sits in that time.
            using var linkB = net.OpenLinkControl();

            // Cut just after a reply: REP's answer is then delivered and acknowledged and REQ's next request not yet
            // sent, so neither side starts the cut with data in flight (keepalive only probes an idle connection).
            int seen = req.OutputLines.Count;
            await req.WaitForLinesAsync(seen + 1, TimeSpan.FromSeconds(10));
            await Task.Delay(TimeSpan.FromMilliseconds(100));
            var watch = new Watch(req, rep, Port(url));
            TimeSpan cut = watch.Now;
            await linkB.SetAsync(up: false);
            TimeSpan cutTook = watch.Now - cut;
            await watch.PollUntilAsync(cut + Outage, stopEarly: () => false);
            TimeSpan restored = watch.Now;
            await linkB.SetAsync(up: true);
            TimeSpan restoreTook = watch.Now - restored;
            watch.RepliesAtRestore = watch.Replies;
            bool recovered = await watch.PollUntilAsync(restored + RecoveryLimit, stopEarly: () => watch.Replies > watch.RepliesAtRestore);
            if (setting != "none")
            {
                // A connection the kernel dropped during the cut reaches spcat's output whenever the loaded machine
                // lets it run: wait for the lines the assertions below read.
                await watch.PollUntilAsync(watch.Now + s_reportLimit,
                    stopEarly: () => watch.RepRemoved is not null && (setting == "keepalive" || watch.ReqRemoved is not null));
            }

            string Ms(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalMilliseconds:N0} ms");
            string When(TimeSpan? at, string verb, string otherwise) => at is not { } t ? otherwise
                : t <= restored ? $"{verb} {Ms(t - cut)} after the cut" : $"{verb} {Ms(t - restored)} after the restore";
            string Closed(TimeSpan? at) => When(at, "closed", "stayed open");
            string Dropped(TimeSpan? at) => When(at, "dropped", "kept");
            string reconnect = watch.ReqAddedAfterCut is { } added
                ? $"REQ reconnected {(added <= restored ? Ms(added - cut) + " after the cut" : Ms(added - restored) + " after the restore")} ({watch.ReqAddedSinceCut} new pipe(s))"
                : "REQ kept its connection";
            output.WriteLine(
                $"partition of {Outage.TotalSeconds:0.#} s, {setting}: REQ pipe {Closed(watch.ReqRemoved)}, REP pipe {Closed(watch.RepRemoved)} " +
                $"(kernel: REQ's connection {Dropped(watch.ReqDropped)}, REP's {Dropped(watch.RepDropped)}); " +
                $"{reconnect}; first reply {(watch.FirstReplyAfterRestore is { } reply ? Ms(reply - restored) : "none")} after the link returned; " +
                $"replies during the cut: {watch.RepliesDuringCut(cut, restored)}; ip took {Ms(cutTook)} to cut, {Ms(restoreTook)} to restore");

            Assert.True(recovered, $"no reply within {RecoveryLimit.TotalSeconds:0} s of the link returning\nREQ: {req.Describe()}\nREP: {rep.Describe()}");
            Assert.Equal(0, watch.RepliesDuringCut(cut, restored));
            switch (setting)
            {
                case "none":
                    // Nothing notices: both pipes stay open and the same connection carries on once TCP retransmits.
                    Assert.Null(watch.ReqRemoved);
                    Assert.Null(watch.RepRemoved);
                    Assert.Null(watch.ReqDropped);
                    Assert.Null(watch.RepDropped);
                    Assert.Equal(0, watch.ReqAddedSinceCut);
                    break;
                case "keepalive":
                    // The idle side (REP) finds out; REQ always has a request unacknowledged, so it never probes.
                    // "During the cut" is the kernel's fact; spcat reports it when it next runs, which a loaded
                    // machine may put after the restore (once 562 ms after it, under stress-ng).
                    Assert.True(watch.RepDropped < restored, "REP's keepalive did not drop its connection during the cut");
                    Assert.True(watch.RepRemoved is not null, "REP's pipe was not removed after its connection dropped");
                    Assert.True(watch.ReqDropped is null || watch.ReqDropped > restored, "REQ dropped its connection during the cut without a user timeout");
                    Assert.True(watch.ReqRemoved is null || watch.ReqRemoved > restored, "REQ closed its pipe during the cut without a user timeout");
                    break;
                default:
                    Assert.True(watch.ReqDropped < restored, "REQ's user timeout did not drop its connection during the cut");
                    Assert.True(watch.RepDropped < restored, "REP's keepalive did not drop its connection during the cut");
                    Assert.True(watch.ReqRemoved is not null && watch.RepRemoved is not null, "a pipe was not removed after its connection dropped");
                    Assert.True(watch.ReqAddedAfterCut > restored, "REQ did not reconnect after the link returned");
                    break;
            }
        }
        finally
        {
            if (req is not null)
            {
                await req.DisposeAsync();
            }
            if (rep is not null)
            {
                await rep.DisposeAsync();
            }
        }
    }

    private static int Port(string url) => new Uri(url).Port;

    private static string ListeningUrl(IReadOnlyList<string> lines) =>
        lines.First(l => l.StartsWith("Listening at: ", StringComparison.Ordinal))["Listening at: ".Length..].Trim();

    /// <summary>
    /// Polls the two spcat processes and notes when things first happen: the REQ's printed replies, and the
    /// <c>pipe: added</c> / <c>pipe: removed</c> lines of both. Resolution: the poll step (10 ms) plus spcat's flush.
    /// Also polls each namespace's TCP table for when its kernel dropped the connection to <paramref name="port"/>,
    /// which does not wait for spcat to run.
    /// </summary>
    private sealed partial class Watch(PeerProcess req, PeerProcess rep, int port)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly List<TimeSpan> _replyTimes = [];
        private readonly int _repliesBefore = req.OutputLines.Count;
        private readonly int _reqAddedBefore = Added().Count(req.StandardError);

        public TimeSpan Now => _clock.Elapsed;

        public int Replies => _replyTimes.Count;

        public int RepliesAtRestore { get; set; }

        public TimeSpan? ReqRemoved { get; private set; }

        public TimeSpan? RepRemoved { get; private set; }

        /// <summary>When REQ's namespace first had no established connection to REP's port.</summary>
        public TimeSpan? ReqDropped { get; private set; }

        /// <summary>When REP's namespace first had no established connection on its port.</summary>
        public TimeSpan? RepDropped { get; private set; }

        public TimeSpan? ReqAddedAfterCut { get; private set; }

        public int ReqAddedSinceCut { get; private set; }

        public TimeSpan? FirstReplyAfterRestore => Replies > RepliesAtRestore ? _replyTimes[RepliesAtRestore] : null;

        /// <summary>Replies printed after the cut (past those already in flight) and before the restore.</summary>
        public int RepliesDuringCut(TimeSpan cut, TimeSpan restored) => _replyTimes.Count(t => t > cut + s_inFlight && t <= restored);

        /// <summary>Polls until <paramref name="until"/> or <paramref name="stopEarly"/>; returns whether it stopped early.</summary>
        public Task<bool> PollUntilAsync(TimeSpan until, Func<bool> stopEarly) => Polling.UntilAsync(() => Now, until, s_poll, Poll, stopEarly);

        private void Poll()
        {
            TimeSpan now = Now;
            int lines = req.OutputLines.Count - _repliesBefore;
            while (_replyTimes.Count < lines)
            {
                _replyTimes.Add(now);
            }
            string reqErr = req.StandardError;
            ReqRemoved ??= reqErr.Contains("pipe: removed", StringComparison.Ordinal) ? now : null;
            RepRemoved ??= rep.StandardError.Contains("pipe: removed", StringComparison.Ordinal) ? now : null;
            ReqDropped ??= TcpTable.HasEstablished(req.Id, port) ? null : now;
            RepDropped ??= TcpTable.HasEstablished(rep.Id, port) ? null : now;
            int added = Added().Count(reqErr) - _reqAddedBefore;
            if (added > ReqAddedSinceCut)
            {
                ReqAddedSinceCut = added;
                ReqAddedAfterCut ??= now;
            }
        }

        [GeneratedRegex("^pipe: added ", RegexOptions.Multiline)]
        private static partial Regex Added();
    }

    /// <summary>
    /// Namespaces A and B with unique names, a veth pair with one end in each (10.77.X.1/24 in A, 10.77.X.2/24 in B),
    /// lo up in both. Disposing deletes both namespaces, which removes the pair with them.
    /// </summary>
    private sealed class TwoNamespaces : IAsyncDisposable
    {
        private readonly string _endA;
        private readonly string _endB;
        private const string Bridge = "spbr";

        private TwoNamespaces(string tag)
        {
            A = $"spnet-a-{tag}";
            B = $"spnet-b-{tag}";
            _endA = $"spa{tag}"; // interface names: at most 15 characters
            _endB = $"spb{tag}";
            // The addresses live only inside the two namespaces, so they cannot clash with the host's; a random
            // third octet still keeps two concurrent runs' logs apart.
            int x = Random.Shared.Next(1, 255);
            AddressA = $"10.77.{x}.1";
            AddressB = $"10.77.{x}.2";
        }

        public string A { get; }

        public string B { get; }

        public string AddressA { get; }

        public string AddressB { get; }

        public static TwoNamespaces Create()
        {
            var net = new TwoNamespaces(Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6]);
            try
            {
                IpTool.Must("netns", "add", net.A);
                IpTool.Must("netns", "add", net.B);
                IpTool.Must("link", "add", net._endA, "type", "veth", "peer", "name", net._endB);
                IpTool.Must("link", "set", net._endA, "netns", net.A);
                IpTool.Must("link", "set", net._endB, "netns", net.B);
                IpTool.Must("-n", net.A, "addr", "add", $"{net.AddressA}/24", "dev", net._endA);
                // B's address sits on a bridge with a MAC of its own, so that a veth end off the bridge has neither
                // the address nor the MAC that A's frames are sent to, and drops them.
                IpTool.Must("-n", net.B, "link", "add", Bridge, "address", "02:00:00:00:77:02", "type", "bridge");
                IpTool.Must("-n", net.B, "link", "set", net._endB, "master", Bridge);
                IpTool.Must("-n", net.B, "addr", "add", $"{net.AddressB}/24", "dev", Bridge);
                foreach ((string ns, string end) in new[] { (net.A, net._endA), (net.B, net._endB), (net.B, Bridge) })
                {
                    IpTool.Must("-n", ns, "link", "set", "lo", "up");
                    IpTool.Must("-n", ns, "link", "set", end, "up");
                }
            }
            catch
            {
                net.Delete();
                throw;
            }
            return net;
        }

        /// <summary>Starts <paramref name="tool"/> inside namespace <paramref name="ns"/> (<c>ip netns exec</c> execs it, so killing the process kills the tool).</summary>
        public PeerProcess Start(string ns, PeerTool tool, TimeSpan lifetime, string[] arguments) =>
            PeerProcess.Start("ip", ["netns", "exec", ns, tool.FileName, .. tool.Arguments(arguments)], lifetime);

        /// <summary>Cuts and restores the link by taking B's end of the pair off B's bridge and putting it back.</summary>
        public LinkControl OpenLinkControl() => new(B, _endB, Bridge);

        public ValueTask DisposeAsync()
        {
            Delete();
            return ValueTask.CompletedTask;
        }

        private void Delete()
        {
            IpTool.Run(["netns", "del", A]);
            IpTool.Run(["netns", "del", B]);
            IpTool.Run(["link", "del", _endA]); // only if it never moved into A
        }
    }
}
