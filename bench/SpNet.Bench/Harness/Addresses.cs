namespace SpNet.Bench.Harness;

/// <summary>Listen addresses per transport: loopback tcp on port 0, unique inproc names, ipc paths under the temp directory.</summary>
internal static class Addresses
{
    private static int s_sequence;

    public static string For(string transport) => transport switch
    {
        "tcp" => "tcp://127.0.0.1:0",
        "inproc" => $"inproc://spbench-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}",
        "ipc" => $"ipc://{Path.Combine(Path.GetTempPath(), $"spbench-{Environment.ProcessId}-{Interlocked.Increment(ref s_sequence)}.ipc")}",
        _ => throw new BenchException($"unknown transport '{transport}' (tcp, inproc, ipc)"),
    };

    /// <summary>Removes an ipc socket file left behind.</summary>
    public static void CleanUp(string url)
    {
        if (url.StartsWith("ipc://", StringComparison.Ordinal))
        {
            try
            {
                File.Delete(url["ipc://".Length..]);
            }
            catch (IOException)
            {
                // already gone or still in use; temp directory anyway
            }
        }
    }

    /// <summary>Why <paramref name="library"/> cannot run over <paramref name="transport"/> here, or null when it can.</summary>
    public static string? Unsupported(Library library, string transport) => (library, transport) switch
    {
        (Library.NetMQ, "ipc") => "NetMQ's ipc:// is loopback tcp under another name",
        (Library.SpNet or Library.SpNetAsync, "ipc") when !SpNetBenchSocket.HasIpc => "no ipc in SpNet yet",
        _ => null,
    };
}
