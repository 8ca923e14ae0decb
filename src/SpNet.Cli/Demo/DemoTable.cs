namespace SpNet.Cli.Demo;

/// <summary>Prints demo rows as an aligned plain-text table (fits 120 columns with the default settings).</summary>
internal static class DemoTable
{
    private static readonly string[] s_headings = ["pattern", "transport", "messages", "speed", "check"];

    /// <summary>Writes the heading line.</summary>
    public static Task WriteHeadingAsync(TextWriter output) => output.WriteLineAsync(Format(s_headings));

    /// <summary>Writes one row as soon as its scenario ends, so a slow scenario shows where the time goes.</summary>
    public static Task WriteRowAsync(TextWriter output, DemoRow row) =>
        output.WriteLineAsync(Format([row.Pattern, row.Transport, row.Messages, row.Figure, (row.Passed ? "OK   " : "FAIL ") + row.Check]));

    private static string Format(string[] cells) =>
        $"{cells[0],-10} {cells[1],-9} {cells[2],9}  {cells[3],-20}  {cells[4]}";
}
