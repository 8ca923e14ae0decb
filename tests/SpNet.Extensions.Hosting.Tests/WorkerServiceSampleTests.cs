using System.Diagnostics;
using SpNet.Discovery;
using SpNet.TestKit;

namespace SpNet.Extensions.Hosting.Tests;

/// <summary>Runs samples/WorkerService as its own process, its configuration overridden on the command line as a user would.</summary>
public sealed class WorkerServiceSampleTests
{
    [Fact]
    public async Task The_sample_serves_req_rep_from_configuration_and_registers_itself()
    {
        string directory = Path.Combine(AppContext.BaseDirectory, "..", "..", "WorkerService", "release");
        string dll = Path.GetFullPath(Path.Combine(directory, "WorkerService.dll"));
        Assert.True(File.Exists(dll), $"the sample is not built at {dll}");

        string survey = TestNetwork.FreeTcpUrl();
        await using var registry = new Registry(new RegistryOptions
        {
            SurveyUrl = survey,
            PublishUrl = TestNetwork.FreeTcpUrl(),
            Interval = TimeSpan.FromMilliseconds(200),
        });
        await registry.StartAsync();
        string echo = TestNetwork.FreeTcpUrl();

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!, // the content root, where appsettings.json is
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[dll, $"--SpNet:Sockets:echo:Listen:0={echo}", $"--SpNet:Registrations:echo:SurveyUrl={survey}"])
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.True(() => registry.Current.MembersOf("echo").Any(m => m.Address == echo && m.Zone == "local"),
                "the sample to register itself", TimeSpan.FromSeconds(30));

            await using var req = new ReqSocket { ReceiveTimeout = TimeSpan.FromSeconds(10) };
            await req.DialAsync(echo);
            await req.SendAsync("hello"u8.ToArray());
            using Message reply = await req.ReceiveAsync();
            Assert.Equal("echo: hello", reply.ToString());
            Assert.Contains(output, line => line.Contains("echo serving on", StringComparison.Ordinal) && line.Contains(echo, StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"sample output:\n{string.Join('\n', output)}", ex);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
