using System.Diagnostics;
using System.Text;
using SpNet.TestKit;

namespace SpNet.Cli.Tests.Compare;

/// <summary>What one cat process did: its exit code and its exact stdout bytes and stderr text.</summary>
internal sealed record CatResult(int ExitCode, byte[] Stdout, string Stderr, bool TimedOut)
{
    public string StdoutText => Encoding.Latin1.GetString(Stdout);

    public override string ToString() =>
        TimedOut ? "(killed: still running at the time limit)" : $"exit {ExitCode}, stdout {Show(StdoutText)}, stderr {Show(Stderr)}";

    private static string Show(string text) => text.Length > 300 ? $"\"{text[..300]}...\"" : $"\"{text.Replace("\n", "\\n", StringComparison.Ordinal)}\"";
}

/// <summary>
/// Runs nngcat or spcat to completion with given stdin bytes. PeerProcess is line-based and closes stdin at once;
/// comparing byte for byte (a trailing newline, --raw output) and feeding <c>--file -</c> needs the raw streams, so
/// this small runner reads them itself. Every run is bounded: it is killed at <paramref name="limit"/>.
/// </summary>
internal static class CatProcess
{
    public static async Task<CatResult> RunAsync(
        PeerTool tool, IReadOnlyList<string> args, byte[]? stdin, TimeSpan limit, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(tool.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }
        foreach (string a in tool.Arguments(args))
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool.FileName}");
        var stdout = new MemoryStream();
        Task copyOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> readErr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is { Length: > 0 })
            {
                await process.StandardInput.BaseStream.WriteAsync(stdin);
            }
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading its input; its output still tells what happened.
        }
        bool timedOut = false;
        using (var cts = new CancellationTokenSource(limit))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        await copyOut.WaitAsync(TimeSpan.FromSeconds(5));
        string stderr = await readErr.WaitAsync(TimeSpan.FromSeconds(5));
        return new CatResult(timedOut ? -1 : process.ExitCode, stdout.ToArray(), stderr, timedOut);
    }
}
