using SpNet.Cli.Discovery;

namespace SpNet.Cli;

/// <summary>
/// What <c>spcat discovery</c> and <c>spcat service</c> share around their commands: no subcommand or <c>--help</c>
/// prints the usage, Ctrl-C ends the command (not the process, so it can close its sockets), and failures become the
/// documented exit codes with one line on the error writer: 2 for bad arguments (with the usage after a format
/// error), 1 for a runtime error, 0 when canceled.
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

    /// <summary>
    /// Prints <paramref name="usage"/> when <paramref name="args"/> name no subcommand (exit code 2) or ask for help
    /// (0); otherwise runs <paramref name="command"/> as <see cref="WithExitCodesAsync"/> does.
    /// </summary>
    public static async Task<int> DispatchAsync(
        string name, string usage, string[] args, TextWriter output, TextWriter error, Func<Task<int>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(usage).ConfigureAwait(false);
            return args.Length == 0 ? 2 : 0;
        }
        return await WithExitCodesAsync(name, usage, error, command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="command"/> on a subcommand's parsed <paramref name="arguments"/>, or prints
    /// <paramref name="usage"/> when they ask for help; disposes the arguments either way.
    /// </summary>
    public static async Task<int> RunParsedAsync(DiscoveryArguments arguments, string usage, TextWriter output, Func<DiscoveryArguments, Task<int>> command)
    {
        using (arguments)
        {
            if (arguments.Help)
            {
                await output.WriteLineAsync(usage).ConfigureAwait(false);
                return 0;
            }
            return await command(arguments).ConfigureAwait(false);
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
