using System.Diagnostics;
using System.Threading.Channels;

namespace SpNet.Services.Bench;

/// <summary>
/// The bench started again as a child process (<c>spservices-bench members …</c>) holding the members of one case, so
/// they share no runtime, thread pool or buffer pool with the client being measured. The child reports on its stdout
/// one line per event; closing its stdin ends it.
/// </summary>
internal sealed class MemberProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly Task _reading;

    private MemberProcess(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
            _lines.Writer.TryComplete();
        });
    }

    /// <summary>Starts the child with <paramref name="args"/> after <c>members</c> and waits for its <c>ready</c> line.</summary>
    public static async Task<MemberProcess> StartAsync(params string[] args)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host))
        {
            host = Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(MemberProcess).Assembly.Location);
        start.ArgumentList.Add("members");
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var child = new MemberProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the member process"));
        child.Ready = await child.WaitForAsync("ready", TimeSpan.FromSeconds(60));
        return child;
    }

    /// <summary>The words of the child's <c>ready</c> line.</summary>
    public string[] Ready { get; private set; } = [];

    /// <summary>The next line whose first word is <paramref name="word"/> (earlier lines are skipped).</summary>
    public async Task<string[]> WaitForAsync(string word, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            string line;
            try
            {
                line = await _lines.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the member process sent no '{word}' line within {timeout.TotalSeconds:0} s");
            }
            catch (ChannelClosedException)
            {
                throw new InvalidOperationException($"the member process ended (exit code {(_process.HasExited ? _process.ExitCode : -1)}) before a '{word}' line");
            }
            string[] words = line.Split(' ');
            if (words[0] == word)
            {
                return words;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _reading;
        _process.Dispose();
    }
}
