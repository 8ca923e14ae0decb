using SpNet.Discovery;

namespace SpNet.Cli.Discovery;

/// <summary>
/// The registries named on a command line, shared by <c>spcat discovery register|watch</c> and <c>spcat service …</c>:
/// <c>--survey URL</c> and <c>--publish URL</c>, each repeatable; the n-th survey and the n-th publish address name
/// the n-th registry, so the pairs are given in order. Or, instead of registries, etcd: <c>--etcd URL[,URL…]</c>,
/// repeatable, every URL one endpoint of the same cluster.
/// </summary>
internal static class RegistryArguments
{
    /// <summary>The flags this parser takes.</summary>
    public static bool IsRegistryFlag(string flag) => flag is "--survey" or "--publish" or "--etcd";

    /// <summary>
    /// Takes every registry flag out of <paramref name="args"/> (their values with them) and returns the registries in
    /// order, or the etcd endpoints; <paramref name="rest"/> receives the other arguments, in order.
    /// </summary>
    /// <exception cref="FormatException">
    /// A flag without a value, no registry, addresses that do not pair up as <paramref name="need"/> requires, or both
    /// registries and etcd.
    /// </exception>
    public static (IReadOnlyList<RegistryEndpoint> Registries, IReadOnlyList<string> Etcd) Take(IReadOnlyList<string> args, RegistryNeed need, List<string> rest)
    {
        var surveys = new List<string>();
        var publishes = new List<string>();
        var etcd = new List<string>();
        for (int i = 0; i < args.Count; i++)
        {
            if (!IsRegistryFlag(args[i]))
            {
                rest.Add(args[i]);
                continue;
            }
            if (i + 1 >= args.Count)
            {
                throw new FormatException($"{args[i]} needs a value");
            }
            string flag = args[i], value = args[++i];
            if (flag == "--etcd")
            {
                string[] endpoints = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                etcd.AddRange(endpoints.Length > 0 ? endpoints : throw new FormatException("--etcd needs URL[,URL...]"));
            }
            else
            {
                (flag == "--survey" ? surveys : publishes).Add(value);
            }
        }
        if (etcd.Count > 0)
        {
            return surveys.Count + publishes.Count == 0
                ? ([], etcd)
                : throw new FormatException("name registries (--survey/--publish) or etcd (--etcd), not both");
        }
        return (Pair(surveys, publishes, need), []);
    }

    private static RegistryEndpoint[] Pair(List<string> surveys, List<string> publishes, RegistryNeed need)
    {
        bool paired = surveys.Count == publishes.Count && surveys.Count > 0;
        switch (need)
        {
            case RegistryNeed.Survey when publishes.Count == 0 && surveys.Count > 0:
                return [.. surveys.Select(RegistryEndpoint.Survey)];
            case RegistryNeed.Publish when surveys.Count == 0 && publishes.Count > 0:
                return [.. publishes.Select(RegistryEndpoint.Publish)];
            case RegistryNeed.Survey or RegistryNeed.Publish or RegistryNeed.Both when paired:
                return [.. surveys.Zip(publishes, (s, p) => new RegistryEndpoint(s, p))];
            case RegistryNeed.Survey:
                throw new FormatException("name each registry by --survey URL (repeat it for several; a --publish URL, if given, must pair with each), or etcd by --etcd URL");
            case RegistryNeed.Publish:
                throw new FormatException("name each registry by --publish URL (repeat it for several; a --survey URL, if given, must pair with each), or etcd by --etcd URL");
            default:
                throw new FormatException("name each registry by --survey URL --publish URL (repeat the pair for several), or etcd by --etcd URL");
        }
    }
}
