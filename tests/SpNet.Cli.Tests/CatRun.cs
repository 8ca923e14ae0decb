using System.Text.RegularExpressions;

namespace SpNet.Cli.Tests;

/// <summary>One in-process spcat run with captured streams.</summary>
internal sealed partial class CatRun
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private CatRun(string[] args, byte[]? stdin, CancellationToken cancellationToken)
    {
        var app = new CatApp(Stdout, Stderr, new MemoryStream(stdin ?? []));
        Task = System.Threading.Tasks.Task.Run(() => app.RunAsync(args, cancellationToken));
    }

    public CapturedOutput Stdout { get; } = new();
    public StringWriter Stderr { get; } = new();
    public Task<int> Task { get; }

    public static CatRun Start(params string[] args) => new(args, null, CancellationToken.None);

    public static CatRun Start(CancellationToken cancellationToken, params string[] args) => new(args, null, cancellationToken);

    public static CatRun StartWithStdin(byte[] stdin, params string[] args) => new(args, stdin, CancellationToken.None);

    public static async Task<CatRun> CompleteAsync(params string[] args)
    {
        CatRun run = Start(args);
        await run.ExitCodeAsync();
        return run;
    }

    public Task<int> ExitCodeAsync() => Task.WaitAsync(Limit);

    /// <summary>Waits for the "Listening at: URL" line that --verbose prints and returns the bound URL.</summary>
    public async Task<string> ListeningUrlAsync()
    {
        string text = await Stdout.WaitForAsync(t => ListeningLine().IsMatch(t), Limit);
        return ListeningLine().Match(text).Groups[1].Value;
    }

    [GeneratedRegex(@"Listening at: (\S+)\n")]
    private static partial Regex ListeningLine();
}
