using SpNet.TestKit;

namespace SpNet.Bench.Tests;

/// <summary>
/// spbench's perf roles: output exactly as NNG's perf, and local/remote roles interoperating. NNG's perf binary is
/// not packaged, so NNG's side is played by spbench's own <c>--lib nng</c> role, which drives libnng.so.1 through
/// P/Invoke with perf's exchange (empty start message, COUNT+1 messages, empty completion message).
/// </summary>
public sealed class PerfRoleTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void InprocThroughput_PrintsPerfLines()
    {
        SpBench.AssertThroughput(SpBench.Run("inproc_thr", "--url", Addresses.Inproc("thr"), "-t", "20", "100", "500"), 100, 500);
    }

    [Fact]
    public void InprocLatency_PrintsPerfLines()
    {
        SpBench.AssertLatency(SpBench.Run("inproc_lat", "--url", Addresses.Inproc("lat"), "-t", "20", "64", "50"), 64, 50);
    }

    [Theory]
    [InlineData("pair0")]
    [InlineData("push")]
    public Task SpNetToSpNet_OverTcp(string pattern) => ThroughputAsync(localLib: [], remoteLib: [], pattern, 256, 1000);

    [NativeFact]
    public Task SpNetLocalThr_AcceptsNngRemoteThr() => ThroughputAsync(localLib: [], remoteLib: ["--lib", "nng"], "pair0", 128, 2000);

    [NativeFact]
    public Task NngLocalThr_AcceptsSpNetRemoteThr() => ThroughputAsync(localLib: ["--lib", "nng"], remoteLib: [], "pair0", 128, 2000);

    [NativeFact]
    public async Task SpNetRemoteLat_AgainstNngLocalLat()
    {
        string url = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
        Task<SpBench.Result> local = SpBench.RunInBackground("local_lat", "--lib", "nng", "-p", "pair0", "-t", "20", url, "64", "200");
        SpBench.Result remote = await RetryUntilListening(() => SpBench.Run("remote_lat", "-p", "pair0", "-t", "20", url, "64", "200"));
        SpBench.AssertLatency(remote, 64, 200);
        Assert.Equal(0, (await local.WaitAsync(Limit)).ExitCode);
    }

    [NativeFact(nng: false, nanomsg: true)]
    public async Task SpNetLocalThr_AcceptsNanomsgRemoteThr()
    {
        string url = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
        Task<SpBench.Result> local = SpBench.RunInBackground("local_thr", "-p", "pair0", "-t", "20", url, "512", "1000");
        await Task.Delay(300); // nanomsg connects in the background and retries on its own
        SpBench.Result remote = SpBench.Run("remote_thr", "--lib", "nanomsg", "-p", "pair0", "-t", "20", url, "512", "1000");
        Assert.True(remote.ExitCode == 0, remote.Error);
        SpBench.AssertThroughput(await local.WaitAsync(Limit), 512, 1000);
    }

    /// <summary>
    /// local_thr (over <paramref name="localLib"/>, empty for SpNet) listens on a free port and remote_thr (over
    /// <paramref name="remoteLib"/>) sends it <paramref name="count"/> messages of <paramref name="size"/> bytes: both exit
    /// cleanly and the local side prints perf's throughput lines for exactly those.
    /// </summary>
    private static async Task ThroughputAsync(string[] localLib, string[] remoteLib, string pattern, int size, int count)
    {
        string url = $"tcp://127.0.0.1:{TestNetwork.FreePort()}";
        string[] exchange = ["-p", pattern, "-t", "20", url, size.ToString(System.Globalization.CultureInfo.InvariantCulture), count.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        Task<SpBench.Result> local = SpBench.RunInBackground(["local_thr", .. localLib, .. exchange]);
        SpBench.Result remote = await RetryUntilListening(() => SpBench.Run(["remote_thr", .. remoteLib, .. exchange]));
        Assert.True(remote.ExitCode == 0, remote.Error);
        SpBench.AssertThroughput(await local.WaitAsync(Limit), size, count);
    }

    [Fact]
    public void BadArguments_DieAsPerf()
    {
        SpBench.Result result = SpBench.Run("local_thr", "tcp://127.0.0.1:1", "x", "10");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Invalid message size", result.Error, StringComparison.Ordinal);
        result = SpBench.Run("remote_lat", "tcp://127.0.0.1:1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Usage: remote_lat <connect-to> <msg-size> <roundtrips>", result.Error, StringComparison.Ordinal);
    }

    /// <summary>The listening role starts on another thread: a dial refused before it binds is retried, for up to 10 s.</summary>
    private static async Task<SpBench.Result> RetryUntilListening(Func<SpBench.Result> dial)
    {
        long deadline = Environment.TickCount64 + 30_000; // process start-up alone can take seconds on a loaded 2-core machine
        while (true)
        {
            SpBench.Result result;
            try
            {
                result = dial();
            }
            catch (SpNetException ex) when (ex.Error == SpError.ConnectionRefused && Environment.TickCount64 <= deadline)
            {
                // The in-process role throws instead of exiting when the peer is not listening yet: try again.
                await Task.Delay(100);
                continue;
            }
            bool refused = result.ExitCode == 2 && (result.Error.Contains("refused", StringComparison.OrdinalIgnoreCase) || result.Error.Contains("Connection", StringComparison.Ordinal));
            if (!refused || Environment.TickCount64 > deadline)
            {
                return result;
            }
            await Task.Delay(100);
        }
    }
}
