namespace SpNet.Cli;

/// <summary>Placeholder for <c>spcat demo</c>; the real command replaces this file at merge.</summary>
public static class DemoCommand
{
    /// <summary>Prints that the demo is not built yet and returns exit code 1.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync("demo: not built yet").ConfigureAwait(false);
        return 1;
    }
}
