using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Faults;

/// <summary>
/// A real peer process (nngcat) killed with SIGKILL while SpNet has a request outstanding on it: the pipe goes
/// away, user code sees no exception, the dialer reconnects within ReconnectMaxTime once a peer listens again,
/// and REQ resends the outstanding request on the new pipe and gets its reply.
/// </summary>
public sealed class PeerKillTests(ITestOutputHelper output) : UnobservedWatch
{
    private static readonly TimeSpan s_reconnectMax = TimeSpan.FromMilliseconds(400);

    /// <summary>The transports a killed nngcat is tried over.</summary>
    public static TheoryData<string> Schemes => ["tcp", "ipc", "ws"];

    [PeerTheory(Peers.NngCat)]
    [MemberData(nameof(Schemes))]
    public async Task Req_survives_sigkill_of_its_rep_process_and_resends_to_the_new_one(string scheme)
    {
        (string url, string? path) = PeerAddress(scheme, "kill");
        await using var req = new ReqSocket
        {
            ReconnectMinTime = TimeSpan.FromMilliseconds(50),
            ReconnectMaxTime = s_reconnectMax,
            ResendTime = TimeSpan.FromMinutes(1), // only the pipe closing may trigger the resend
        };
        int added = 0;
        int removed = 0;
        req.PipeAdded += (_, _) => Interlocked.Increment(ref added);
        req.PipeRemoved += (_, _) => Interlocked.Increment(ref removed);

        // First REP receives but never replies, so the request is outstanding on its pipe when it dies.
        PeerProcess mute = Nngcat("--rep", "--listen", url, "-Q");
        PeerProcess? answering = null;
        try
        {
            await WaitListeningAsync(scheme, url, path);
            req.Dial(url);
            await Eventually.True(() => Volatile.Read(ref added) == 1, $"first pipe ({req.Dialers[0].LastError?.Message})", TimeSpan.FromSeconds(5));
            await req.SendAsync("question"u8.ToArray());
            Task<Message> reply = req.ReceiveAsync().AsTask();
            await mute.WaitForOutputAsync(lines => lines.Any(l => l.Contains("question", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "request reached the mute REP");

            mute.Kill(); // SIGKILL: no FIN from the application, the kernel closes the socket
            var clock = Stopwatch.StartNew();
            await Eventually.True(() => Volatile.Read(ref removed) == 1, "pipe removed after SIGKILL", TimeSpan.FromSeconds(5));
            TimeSpan detected = clock.Elapsed;
            Assert.False(reply.IsCompleted, "the outstanding receive must wait for the resend, not fail");

            answering = Nngcat("--rep", "--listen", url, "--data", "answer", "-Q");
            TimeSpan back = await WaitListeningAsync(scheme, url, path);
            var reconnect = Stopwatch.StartNew();
            Task<TimeSpan> control = TimerLateness.StartAsync(s_reconnectMax);
            await Eventually.True(() => Volatile.Read(ref added) == 2, "pipe to the new REP", s_reconnectMax + TimeSpan.FromSeconds(2));
            TimeSpan reconnected = reconnect.Elapsed;
            using Message answer = await Eventually.Within(reply, "reply from the new REP after the resend", TimeSpan.FromSeconds(5));
            Assert.Equal("answer", answer.ToString());
            TimeSpan controlLate = await control;
            output.WriteLine($"{scheme}: SIGKILL detected in {detected.TotalMilliseconds:0} ms; new peer listening after {back.TotalMilliseconds:0} ms; reconnected {reconnected.TotalMilliseconds:0} ms after that (ReconnectMaxTime {s_reconnectMax.TotalMilliseconds:0} ms; a plain timer of that length was {controlLate.TotalMilliseconds:0} ms late); resent request answered");
            Assert.True(reconnected - controlLate <= s_reconnectMax + TimeSpan.FromMilliseconds(250), $"reconnected after {reconnected.TotalMilliseconds:0} ms, {controlLate.TotalMilliseconds:0} ms of it the machine's timer lateness");
        }
        finally
        {
            await mute.DisposeAsync();
            if (answering is not null)
            {
                await answering.DisposeAsync();
            }
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    [PeerTheory(Peers.NngCat)]
    [MemberData(nameof(Schemes))]
    public async Task Push_stream_survives_sigkill_of_its_pull_process(string scheme)
    {
        (string url, string? path) = PeerAddress(scheme, "killpull");
        await using var push = new PushSocket { ReconnectMinTime = TimeSpan.FromMilliseconds(50), ReconnectMaxTime = s_reconnectMax };
        int added = 0;
        push.PipeAdded += (_, _) => Interlocked.Increment(ref added);
        PeerProcess first = Nngcat("--pull", "--listen", url, "-Q");
        PeerProcess? second = null;
        using var stop = new CancellationTokenSource();
        long sent = 0;
        try
        {
            await WaitListeningAsync(scheme, url, path);
            push.Dial(url);
            // The user's sending loop: it must never see an exception, only waits while no peer is there.
            Task sender = Task.Run(async () =>
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await push.SendAsync(System.Text.Encoding.ASCII.GetBytes($"m{sent}"), stop.Token);
                        sent++;
                        await Task.Yield();
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
            await first.WaitForOutputAsync(lines => lines.Count >= 100, TimeSpan.FromSeconds(10), "stream flowing");
            first.Kill();
            long atKill = Interlocked.Read(ref sent);
            // Until the killed process is gone its ipc socket still accepts, so the new nngcat takes the path for one
            // in use ("Address in use", seen 0.02 s after the kill under load) instead of a stale one it may replace.
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            second = Nngcat("--pull", "--listen", url, "-Q");
            await WaitListeningAsync(scheme, url, path);
            await second.WaitForOutputAsync(lines => lines.Count >= 100, TimeSpan.FromSeconds(10), "stream flowing to the new PULL");
            Assert.True(Volatile.Read(ref added) >= 2);
            await stop.CancelAsync();
            await Eventually.Within(sender, "sender loop ends without an exception");
            output.WriteLine($"{scheme}: {atKill:N0} sent before SIGKILL, {sent:N0} in total; the new PULL got {second.OutputLines.Count:N0}");
        }
        finally
        {
            await stop.CancelAsync();
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
            if (path is not null)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>nngcat with line-buffered stdout (stdbuf execs it, so the pid and SIGKILL are nngcat's own).</summary>
    internal static PeerProcess Nngcat(params string[] arguments)
    {
        PeerTool nngcat = Peers.Require(Peers.NngCat);
        return Peers.FindOnPath("stdbuf") is string stdbuf
            ? PeerProcess.Start(stdbuf, ["-oL", nngcat.FileName, .. arguments], TimeSpan.FromSeconds(60))
            : PeerProcess.Start(nngcat, arguments);
    }

    /// <summary>Where the nngcat peer listens over <paramref name="scheme"/>: a free loopback port, or (ipc) a fresh socket file, whose path comes back too.</summary>
    private static (string Url, string? Path) PeerAddress(string scheme, string hint)
    {
        string? path = scheme == "ipc" ? Addresses.IpcPath(hint) : null;
        string url = scheme switch
        {
            "tcp" => $"tcp://127.0.0.1:{TestNetwork.FreePort()}",
            "ipc" => $"ipc://{path}",
            _ => $"ws://127.0.0.1:{TestNetwork.FreePort()}/sp",
        };
        return (url, path);
    }

    /// <summary>Polls with a bare connect until something accepts at <paramref name="url"/>; returns how long that took.</summary>
    internal static async Task<TimeSpan> WaitListeningAsync(string scheme, string url, string? path)
    {
        var clock = Stopwatch.StartNew();
        if (scheme == "ipc")
        {
            await Eventually.True(() => File.Exists(path), $"{path} created", TimeSpan.FromSeconds(10));
            return clock.Elapsed;
        }
        EndPoint endPoint = scheme == "ipc"
            ? new UnixDomainSocketEndPoint(path!)
            : new IPEndPoint(IPAddress.Loopback, Addresses.PortOf(url.Replace("ws://", "tcp://", StringComparison.Ordinal).Replace("/sp", "", StringComparison.Ordinal)));
        while (true)
        {
            using var probe = new System.Net.Sockets.Socket(endPoint.AddressFamily, SocketType.Stream, scheme == "ipc" ? ProtocolType.Unspecified : ProtocolType.Tcp);
            try
            {
                await probe.ConnectAsync(endPoint);
                return clock.Elapsed;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(10);
            }
        }
    }
}
