using System.Diagnostics;
using SpNet.Bench.Harness;

namespace SpNet.Bench.Memory;

/// <summary>
/// The process whose memory a case measures: nngcat or spcat as users run them, or spbench's own publisher role. Its
/// output is drained (so it never blocks on a full pipe) and kept line by line; it is killed on dispose.
/// </summary>
internal sealed class PeerUnderTest : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _lineArrived = new(0);

    private PeerUnderTest(ProcessStartInfo start, string name)
    {
        Name = name;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new BenchException($"cannot start {name}");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (_lines)
            {
                _lines.Add(e.Data);
            }
            _lineArrived.Release();
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What runs, as the report names it.</summary>
    public string Name { get; }

    /// <summary>The process id (for /proc).</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>nngcat</c> (from PATH) or <c>spcat</c> (built beside spbench) with <paramref name="arguments"/>.</summary>
    public static PeerUnderTest StartCat(string tool, params string[] arguments)
    {
        ProcessStartInfo start = tool == "nngcat" ? new ProcessStartInfo("nngcat") : DotnetHost.Start(SpcatPath(), []);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return new PeerUnderTest(start, tool);
    }

    /// <summary>Starts this spbench again with <paramref name="arguments"/> (a hidden role).</summary>
    public static PeerUnderTest StartSelf(string name, params string[] arguments)
    {
        return new PeerUnderTest(DotnetHost.Start(typeof(PeerUnderTest).Assembly.Location, arguments), name);
    }

    /// <summary>Waits for the next output line (bounded).</summary>
    public string ReadLine(TimeSpan timeout)
    {
        if (!_lineArrived.Wait(timeout))
        {
            throw new BenchException($"{Name} printed nothing within {timeout.TotalSeconds:0} s{(_process.HasExited ? $" (exited with {_process.ExitCode})" : "")}");
        }
        lock (_lines)
        {
            string line = _lines[0];
            _lines.RemoveAt(0);
            return line;
        }
    }

    /// <summary>Writes one line to the process's standard input.</summary>
    public void WriteLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        _process.Dispose();
        _lineArrived.Dispose();
    }

    /// <summary>Where spcat.dll is: artifacts/bin/SpNet.Cli/&lt;configuration&gt;/, beside spbench's own folder.</summary>
    public static string SpcatPath()
    {
        string self = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string configuration = Path.GetFileName(self);
        string path = Path.GetFullPath(Path.Combine(self, "..", "..", "SpNet.Cli", configuration, "spcat.dll"));
        return File.Exists(path) ? path : throw new BenchException($"spcat not built: expected {path} (dotnet build -c Release src/SpNet.Cli)");
    }
}
