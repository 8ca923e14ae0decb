using System.Text;
using System.Text.RegularExpressions;
using SpNet.TestKit;

namespace SpNet.Cli.Tests.Repository;

/// <summary>
/// Every relative link in every markdown file of the repository (README, docs/, bench/, samples/, src/ package
/// READMEs, tests/) must name a file or folder that exists, and its #anchor a heading of the target file, so a page
/// that moves or a heading that is renamed breaks the build instead of a reader's click. Absolute URLs are not
/// fetched (tests run offline). Links inside code blocks and code spans are text, not links, and are skipped.
/// </summary>
public sealed partial class MarkdownLinkTests
{
    private static readonly string[] SkippedFolders = ["artifacts", "bin", "obj", ".git", "TestResults", "BenchmarkDotNet.Artifacts", "packages", "node_modules"];

    [Fact]
    public void Every_relative_link_and_anchor_resolves()
    {
        string root = Peers.RepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        List<string> files = MarkdownFiles(root).ToList();
        Assert.Contains(files, f => Path.GetRelativePath(root, f) == "README.md");
        Assert.Contains(files, f => Path.GetRelativePath(root, f) == Path.Combine("docs", "README.md"));

        var broken = new List<string>();
        int checkedLinks = 0;
        foreach (string file in files)
        {
            foreach ((int line, string target) in Links(File.ReadAllText(file)))
            {
                if (IsExternal(target))
                {
                    continue;
                }
                checkedLinks++;
                string? problem = Resolve(file, target);
                if (problem is not null)
                {
                    broken.Add($"{Path.GetRelativePath(root, file)}:{line}: ({target}) {problem}");
                }
            }
        }
        Assert.True(broken.Count == 0, $"{broken.Count} broken links:\n{string.Join('\n', broken)}");
        Assert.True(checkedLinks > 50, $"only {checkedLinks} relative links found: the scanner is not reading the docs");
    }

    [Theory]
    [InlineData("What works today", "what-works-today")]
    [InlineData("Logging: `Socket.Logger`", "logging-socketlogger")]
    [InlineData("Timeouts: what happens when each one fires", "timeouts-what-happens-when-each-one-fires")]
    [InlineData("PUB/SUB: 1,000,000 × 1 KiB over tcp", "pubsub-1000000--1-kib-over-tcp")]
    [InlineData("Services by name (ServiceHost, ServiceClient)", "services-by-name-servicehost-serviceclient")]
    [InlineData("spcat_tool", "spcat_tool")]
    public void Anchors_follow_githubs_rule(string heading, string anchor) => Assert.Equal(anchor, Slug(heading));

    [Fact]
    public void Links_in_code_are_not_links_and_duplicate_headings_are_numbered()
    {
        string markdown = "# A\n\n```\n[x](missing.md)\n```\n\nsee `[y](gone.md)` and [z](real.md#a-1)\n\n# A\n";
        Assert.Equal([(7, "real.md#a-1")], Links(markdown).ToArray());
        Assert.Equal(["a", "a-1"], Anchors(markdown).ToArray());
    }

    private static IEnumerable<string> MarkdownFiles(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            foreach (string sub in Directory.EnumerateDirectories(dir))
            {
                if (!SkippedFolders.Contains(Path.GetFileName(sub)))
                {
                    pending.Push(sub);
                }
            }
            foreach (string file in Directory.EnumerateFiles(dir, "*.md"))
            {
                yield return file;
            }
        }
    }

    private static bool IsExternal(string target) =>
        target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="target"/>, relative to <paramref name="file"/>, exists (and so does its anchor); else why not.</summary>
    private static string? Resolve(string file, string target)
    {
        int hash = target.IndexOf('#', StringComparison.Ordinal);
        string path = Uri.UnescapeDataString(hash >= 0 ? target[..hash] : target);
        string anchor = hash >= 0 ? target[(hash + 1)..] : "";
        string full = path.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, path));
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            return "no such file";
        }
        if (anchor.Length == 0)
        {
            return null;
        }
        if (!full.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || !File.Exists(full))
        {
            return "an anchor into a file that is not markdown";
        }
        return Anchors(File.ReadAllText(full)).Contains(anchor) ? null : $"no heading with anchor #{anchor}";
    }

    /// <summary>Inline links and images, <c>[text](target)</c>, and reference definitions, <c>[id]: target</c>, with their line numbers, outside code.</summary>
    private static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        int number = 0;
        foreach (string line in ProseLines(markdown, n => number = n))
        {
            string prose = CodeSpan().Replace(line, "");
            foreach (Match m in InlineLink().Matches(prose))
            {
                yield return (number, m.Groups["target"].Value);
            }
            Match definition = ReferenceDefinition().Match(prose);
            if (definition.Success)
            {
                yield return (number, definition.Groups["target"].Value);
            }
        }
    }

    /// <summary>The anchors GitHub gives the headings of <paramref name="markdown"/>, in order, duplicates numbered -1, -2, ….</summary>
    private static IEnumerable<string> Anchors(string markdown)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string line in ProseLines(markdown, _ => { }))
        {
            Match heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }
            string slug = Slug(heading.Groups["text"].Value);
            if (seen.TryGetValue(slug, out int count))
            {
                seen[slug] = count + 1;
                yield return $"{slug}-{count}";
            }
            else
            {
                seen[slug] = 1;
                yield return slug;
            }
        }
    }

    /// <summary>GitHub's rule: lower case; drop everything but letters, digits, '-', '_' and spaces; spaces become '-'.</summary>
    private static string Slug(string heading)
    {
        var slug = new StringBuilder(heading.Length);
        foreach (char c in heading.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }
        return slug.ToString();
    }

    /// <summary>The lines outside fenced code blocks; <paramref name="onLine"/> gets each returned line's 1-based number first.</summary>
    private static IEnumerable<string> ProseLines(string markdown, Action<int> onLine)
    {
        string? fence = null;
        string[] lines = markdown.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string trimmed = lines[i].TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
                continue;
            }
            if (fence is not null)
            {
                if (trimmed.StartsWith(fence, StringComparison.Ordinal))
                {
                    fence = null;
                }
                continue;
            }
            onLine(i + 1);
            yield return lines[i].TrimEnd('\r');
        }
    }

    [GeneratedRegex(@"(`+).*?\1")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s+(?<target>\S+)")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();
}
