namespace SpNet.Cli;

/// <summary>
/// Entry point: <c>spcat demo|discovery|service|version …</c> run those commands; anything else is nngcat-style spcat.
/// </summary>
public static class Program
{
    /// <summary>Runs spcat on the process's standard streams and returns the exit code.</summary>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "demo")
        {
            return await DemoCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false);
        }
        if (args.Length > 0 && args[0] == "discovery")
        {
            return await Discovery.DiscoveryCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
        }
        if (args.Length > 0 && args[0] == "service")
        {
            return await Service.ServiceCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false);
        }
        if (args.Length > 0 && args[0] == "version")
        {
            return await VersionCommand.RunAsync(Console.Out).ConfigureAwait(false);
        }
        Stream stdout = Console.OpenStandardOutput();
        Stream stdin = Console.OpenStandardInput();
        await using (stdout.ConfigureAwait(false))
        await using (stdin.ConfigureAwait(false))
        {
            var app = new CatApp(stdout, Console.Error, stdin);
            return await app.RunAsync(args).ConfigureAwait(false);
        }
    }
}
