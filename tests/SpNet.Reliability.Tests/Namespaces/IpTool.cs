using System.Diagnostics;

namespace SpNet.Reliability.Tests.Namespaces;

/// <summary>Runs the <c>ip</c> tool (iproute2) for the namespace tests; every call is bounded by 10 s.</summary>
internal static class IpTool
{
    /// <summary>Runs <c>ip</c> with <paramref name="arguments"/> and throws, naming the command and its error, unless it succeeds.</summary>
    public static void Must(params string[] arguments)
    {
        (int code, string _, string error) = Run(arguments);
        if (code != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({code}): {error}");
        }
    }

    /// <summary>Runs <c>ip</c> with <paramref name="arguments"/>; returns its exit code (-1 on timeout), standard output and error.</summary>
    public static (int Code, string Output, string Error) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        Task<string> error = process.StandardError.ReadToEndAsync();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(10_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "", "timed out after 10 s");
        }
        string Text(Task<string> t) => t.Wait(TimeSpan.FromSeconds(1)) ? t.Result.Trim() : "";
        return (process.ExitCode, Text(output), Text(error));
    }
}
