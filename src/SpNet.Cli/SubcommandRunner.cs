namespace SpNet.Cli;

/// <summary>
/// What <c>spcat discovery</c> and <c>spcat service</c> share around their commands: Ctrl-C ends the command (not
/// the process, so it can close its sockets), and failures become the documented exit codes with one line on the
/// error writer: 2 for bad arguments (with the usage after a format error), 1 for a runtime error, 0 when canceled.
/// </summary>
internal static class SubcommandRunner
{
    /// <summary>Runs <paramref name="run"/> with a token that Ctrl-C cancels.</summary>
    public static async Task<int> UntilInterruptedAsync(Func<CancellationToken, Task<int>> run)
    {
        using var interrupted = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            interrupted.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        try
        {
            return await run(interrupted.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    /// <summary>Runs <paramref name="command"/>, mapping its failures to exit codes and messages prefixed with <paramref name="name"/>.</summary>
    public static async Task<int> WithExitCodesAsync(string name, string usage, TextWriter error, Func<Task<int>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync($"{name}: {ex.Message}\n{usage}").ConfigureAwait(false);
            return 2;
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"{name}: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (SpNetException ex)
        {
            await error.WriteLineAsync($"{name}: {ex.Error}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}
