namespace SpNet.Cli.Tests;

/// <summary>spcat's argument parser as the option tests drive it (<c>using static</c>).</summary>
internal static class Parsing
{
    /// <summary>The options <paramref name="args"/> parse to; the parse must mean "run", not help or version.</summary>
    public static CatOptions Parse(params string[] args)
    {
        var parser = new ArgumentParser(Stream.Null);
        Assert.Equal(CatAction.Run, parser.Parse(args));
        return parser.Options;
    }
}
