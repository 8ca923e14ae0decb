using System.Diagnostics;
using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>The TestKit's process handling itself: failures explain themselves and nothing outlives its test.</summary>
public sealed class PeerProcessTests
{
    private static readonly PeerTool Shell = new("sh", "/bin/sh", ["-c"]);

    [Fact]
    public async Task Failure_NamesCommandLineStdoutAndStderr()
    {
        await using PeerProcess peer = PeerProcess.Start(Shell, "echo '\"out\"'; echo oops >&2; exit 3");
        var failure = await Assert.ThrowsAsync<PeerProcessException>(() => peer.WaitForLinesAsync(2));
        Assert.False(failure.TimedOut);
        Assert.Contains("/bin/sh -c", failure.Message, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\"out\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("oops", failure.Message, StringComparison.Ordinal);
        Assert.Equal(["out"], QuotedFormat.DecodeAll(peer.OutputLines));
    }

    [Fact]
    public async Task Dispose_KillsARunningProcess()
    {
        int pid;
        await using (PeerProcess peer = PeerProcess.Start(Shell, "exec sleep 30"))
        {
            pid = peer.Id;
        }
        Assert.True(HasExited(pid), $"pid {pid} survived dispose");
    }

    [Fact]
    public async Task Lifetime_KillsAForgottenProcess_AndWaitsReportIt()
    {
        await using PeerProcess peer = PeerProcess.Start(Shell, TimeSpan.FromMilliseconds(300), "exec sleep 30");
        var clock = Stopwatch.StartNew();
        int code = await peer.WaitForExitAsync(TimeSpan.FromSeconds(10));
        Assert.NotEqual(0, code);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Contains("killed after its lifetime", peer.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitTimeout_KillsAndSaysSo()
    {
        await using PeerProcess peer = PeerProcess.Start(Shell, "exec sleep 30");
        var failure = await Assert.ThrowsAsync<PeerProcessException>(() => peer.WaitForExitAsync(TimeSpan.FromMilliseconds(200)));
        Assert.True(failure.TimedOut);
        Assert.Contains("did not exit within", failure.Message, StringComparison.Ordinal);
        await peer.WaitForExitAsync(TimeSpan.FromSeconds(5));
        Assert.True(peer.HasExited);
    }

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\\"b\\\\c\\n\"", "a\"b\\c\n")]
    [InlineData("\"\"", "")]
    public void QuotedFormat_DecodesNngcatEscapes(string line, string expected) =>
        Assert.Equal(expected, QuotedFormat.Decode(line));

    [Fact]
    public void QuotedFormat_DecodesHexBytes() =>
        Assert.Equal(new byte[] { 0x01, 0xff, (byte)'z' }, QuotedFormat.DecodeBytes("\"\\x01\\xffz\""));

    private static bool HasExited(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            return true; // gone already
        }
    }
}
