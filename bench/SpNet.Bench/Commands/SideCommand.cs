using System.Globalization;
using NetMQ;
using SpNet.Bench.Harness;
using SpNet.Bench.Harness.Sides;

namespace SpNet.Bench.Commands;

/// <summary>
/// <c>spbench side CASE… INDEX [URL]</c> (or <c>… all</c>): the child process <see cref="CaseRunner"/> starts for one
/// side of a case (or for all of them as threads). Not meant to be typed: it talks to its parent in lines on stdin
/// and stdout (see <see cref="ProcessSideLink"/>).
/// </summary>
internal static class SideCommand
{
    /// <summary>Backstop only: every wait inside a side is bounded already, and the parent kills a stalled child.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return RunSide(args, output);
        }
        catch (Exception ex) when (ex is not BenchException)
        {
            // One line the parent can put in the cell: what failed and where (a peer library's own fault shows its frame).
            string[] frames = [.. (ex.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Trim())];
            string where = frames.FirstOrDefault(f => !f.StartsWith("at System.", StringComparison.Ordinal)) ?? frames.FirstOrDefault() ?? "";
            error.WriteLine($"{ex.GetType().Name}: {ex.Message} ({where})");
            return 2;
        }
    }

    private static int RunSide(string[] args, TextWriter output)
    {
        const int n = BenchCase.ArgCount;
        if (args.Length < n + 1)
        {
            throw new BenchException("side: expected the case's arguments, then INDEX [URL] or all");
        }
        BenchCase c = BenchCase.FromArgs(args[..n]);
        IReadOnlyList<Side> sides = CaseSides.For(c);
        try
        {
            if (args[n] == "all")
            {
                CaseReports reports = CaseRunner.RunHere(sides, Addresses.For(c.Transport), Limit);
                foreach (Side side in sides)
                {
                    foreach ((string key, double value) in reports.Of(side.Name))
                    {
                        output.WriteLine(SideLink.ResultLine(side.Name, key, value));
                    }
                }
                output.Flush();
                return 0;
            }
            int index = int.Parse(args[n], CultureInfo.InvariantCulture);
            string url = index == 0 ? Addresses.For(c.Transport) : args.Length > n + 1 ? args[n + 1] : throw new BenchException("side: a dialing side needs the URL");
            var link = new ProcessSideLink(sides[index].Name, Console.In, output);
            Workers.Join(Limit, sides[index].Name, Workers.Dedicated(sides[index].Name, () => sides[index].Body(link, url)));
            if (index == 0)
            {
                Addresses.CleanUp(url);
            }
            return 0;
        }
        finally
        {
            if (c.Library == Library.NetMQ)
            {
                NetMQConfig.Cleanup(block: false);
            }
        }
    }
}
