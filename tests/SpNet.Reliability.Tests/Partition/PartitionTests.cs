using System.Diagnostics;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Partition;

/// <summary>
/// A network partition: a network namespace joined to this one by a veth pair the test makes, an NNG REP
/// (nngcat) inside it, SpNet's REQ here. The link is cut with <c>ip link set … down</c> and restored; the test
/// measures when SpNet notices (if at all) and how long the outstanding request takes to be answered after the
/// link returns. Namespaces and links are removed even on failure.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output) : UnobservedWatch
{
    private static TimeSpan Outage => TimeSpan.FromMilliseconds(Mode.Int("SPNET_PARTITION_MS", Mode.IsLong ? 30_000 : 3_000));

    [RootFact]
    public async Task Link_cut_and_restored_between_namespaces()
    {
        PeerTool nngcat = Peers.Require("nngcat");
        string tag = Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6];
        string ns = $"spnet-{tag}";
        string here = $"spa{tag}";
        string there = $"spb{tag}";
        int subnet = 16 + Random.Shared.Next(200);
        string hostAddress = $"10.213.{subnet}.1";
        string peerAddress = $"10.213.{subnet}.2";
        PeerProcess? rep = null;
        try
        {
            Ip("netns", "add", ns);
            Ip("link", "add", here, "type", "veth", "peer", "name", there);
            Ip("link", "set", there, "netns", ns);
            Ip("addr", "add", $"{hostAddress}/24", "dev", here);
            Ip("link", "set", here, "up");
            Ip("netns", "exec", ns, "ip", "addr", "add", $"{peerAddress}/24", "dev", there);
            Ip("netns", "exec", ns, "ip", "link", "set", there, "up");
            Ip("netns", "exec", ns, "ip", "link", "set", "lo", "up");

            string url = $"tcp://{peerAddress}:5555";
            rep = PeerProcess.Start("ip", ["netns", "exec", ns, nngcat.FileName, "--rep", "--listen", url, "--data", "pong"], TimeSpan.FromSeconds(120));
            await using var req = new ReqSocket
            {
                ResendTime = TimeSpan.FromMilliseconds(500),
                ReconnectMinTime = TimeSpan.FromMilliseconds(50),
                ReconnectMaxTime = TimeSpan.FromMilliseconds(500),
            };
            long removedAt = 0;
            var clock = Stopwatch.StartNew();
            req.PipeRemoved += (_, _) => Interlocked.CompareExchange(ref removedAt, clock.ElapsedTicks, 0);
            req.Dial(url);
            await Eventually.True(() => req.Statistics.CurrentPipes == 1, $"pipe into the namespace ({req.Dialers[0].LastError?.Message})", TimeSpan.FromSeconds(10));
            var rtt = Stopwatch.StartNew();
            await req.SendAsync("ping"u8.ToArray());
            using (Message first = await Eventually.Within(req.ReceiveAsync().AsTask(), "reply before the cut", TimeSpan.FromSeconds(5)))
            {
                Assert.Equal("pong", first.ToString());
            }
            TimeSpan baseline = rtt.Elapsed;

            Ip("link", "set", here, "down");
            var cut = Stopwatch.StartNew();
            await req.SendAsync("during the cut"u8.ToArray());
            Task<Message> reply = req.ReceiveAsync().AsTask();
            await Task.WhenAny(reply, Task.Delay(Outage));
            bool noticed = Interlocked.Read(ref removedAt) != 0;
            Assert.False(reply.IsCompletedSuccessfully, "a reply crossed a cut link");

            Ip("link", "set", here, "up");
            var restored = Stopwatch.StartNew();
            using Message late = await Eventually.Within(reply, "reply after the link returned", TimeSpan.FromSeconds(60) + Outage);
            TimeSpan recovery = restored.Elapsed;
            Assert.Equal("pong", late.ToString());
            output.WriteLine($"partition of {Outage.TotalSeconds:0.#} s (baseline round trip {baseline.TotalMilliseconds:0} ms): SpNet {(noticed ? "closed the pipe" : "did not notice (no keepalive; TCP keeps retransmitting)")} during the cut; the outstanding request was answered {recovery.TotalMilliseconds:0} ms after the link came back (pipes opened {req.Statistics.PipesOpened}, closed {req.Statistics.PipesClosed})");
        }
        finally
        {
            if (rep is not null)
            {
                await rep.DisposeAsync();
            }
            TryIp("netns", "del", ns); // removes the namespace's end, and with it the pair
            TryIp("link", "del", here);
        }
    }

    private static void Ip(params string[] arguments)
    {
        (int code, string error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({code}): {error}");
        }
    }

    private static void TryIp(params string[] arguments) => Run(arguments);

    private static (int Code, string Error) Run(string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out");
        }
        return (process.ExitCode, error.Trim());
    }
}
