using System.Diagnostics;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>
/// An <c>ip -n NS -batch -</c> process, started ahead, that takes one device off its bridge or puts it back on
/// request and confirms each change by listing the device afterwards (batch mode runs each line as it is read). Started
/// ahead so that no process start (slow on a busy machine) sits between deciding to cut a link and the cut.
/// </summary>
internal sealed class LinkControl : IDisposable
{
    private readonly Process _ip;
    private readonly string _device;
    private readonly string _bridge;
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Starts the batch process for <paramref name="device"/>, a port of <paramref name="bridge"/> in namespace <paramref name="ns"/>.</summary>
    public LinkControl(string ns, string device, string bridge)
    {
        _device = device;
        _bridge = bridge;
        var start = new ProcessStartInfo("ip") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "-n", ns, "-batch", "-" })
        {
            start.ArgumentList.Add(a);
        }
        _ip = Process.Start(start)!;
    }

    /// <summary>Puts the device on its bridge (<paramref name="up"/>) or takes it off; returns once <c>ip</c> has done it (at most 10 s).</summary>
    public async Task SetAsync(bool up)
    {
        await _one.WaitAsync();
        try
        {
            await _ip.StandardInput.WriteLineAsync($"link set dev {_device} {(up ? "master " + _bridge : "nomaster")}");
            await _ip.StandardInput.WriteLineAsync($"link show dev {_device}");
            await _ip.StandardInput.FlushAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                // "N: dev@ifM: <FLAGS> ... master …" follows the change; other lines (link/ether …) are skipped.
                string? line = await _ip.StandardOutput.ReadLineAsync(limit.Token);
                if (line is null)
                {
                    throw new InvalidOperationException($"ip batch for {_device} ended: {await _ip.StandardError.ReadToEndAsync(limit.Token)}");
                }
                if (line.Contains($" {_device}@", StringComparison.Ordinal) || line.Contains($" {_device}:", StringComparison.Ordinal))
                {
                    return;
                }
            }
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>Ends the batch process (closing its input ends it; killed if it lingers).</summary>
    public void Dispose()
    {
        try
        {
            _ip.StandardInput.Close();
            if (!_ip.WaitForExit(5_000))
            {
                _ip.Kill();
            }
        }
        finally
        {
            _ip.Dispose();
            _one.Dispose();
        }
    }
}
