using System.Diagnostics;

namespace SpNet.Bench.Harness;

/// <summary>Starts a .NET assembly the way this process was started: the same host (dotnet) as a separate process.</summary>
internal static class DotnetHost
{
    /// <summary>A start for <paramref name="assembly"/> with <paramref name="arguments"/>, nothing redirected yet.</summary>
    public static ProcessStartInfo Start(string assembly, IEnumerable<string> arguments)
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host))
        {
            host = Environment.ProcessPath is string self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }
}
