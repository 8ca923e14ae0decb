using System.Diagnostics;

namespace SpNet.Discovery.Tests.Services;

/// <summary>Runs the service samples as their own processes (built alongside this project) and checks what they print.</summary>
public sealed class SampleTests
{
    [Fact]
    public async Task The_tour_visits_request_broadcast_gather_tunnel_and_topic()
    {
        string output = await RunAsync("Services.Tour");
        Assert.Contains("request: echo0 says hello", output, StringComparison.Ordinal);
        Assert.Contains("request: echo1 says hello", output, StringComparison.Ordinal);
        Assert.Contains("broadcast: 3 cache members flushed", output, StringComparison.Ordinal);
        Assert.Contains("gather: cache2: 0 entries", output, StringComparison.Ordinal);
        Assert.Contains("tunnel: > how are you", output, StringComparison.Ordinal);
        Assert.Contains("topic: the tour is over", output, StringComparison.Ordinal);
        Assert.EndsWith("tour done", output.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_document_sync_brings_a_late_joiner_into_step()
    {
        string output = await RunAsync("Services.DocSync");
        Assert.Contains("peer-c caught up over a tunnel: 20 lines", output, StringComparison.Ordinal);
        Assert.Contains("in sync: 30 lines on every peer", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string sample)
    {
        // This assembly sits in artifacts/bin/<project>/<configuration>/; the samples beside it.
        string here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string dll = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(here)!)!, sample, Path.GetFileName(here), $"{sample}.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet", [dll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"{sample} exited {process.ExitCode}: {await error}\n{await output}");
        return await output;
    }
}
