using System.Text.RegularExpressions;
using SpNet.Reliability.Tests.Namespaces;

namespace SpNet.Reliability.Tests.Cluster;

/// <summary>
/// A request client of the cluster: one output line per request, the echoed request (answered) or <c>error: …</c>
/// (failed: no live member, or no reply within the client's timeout).
/// </summary>
internal sealed partial class RequestClient(string service, int host, TimedLines lines)
{
    /// <summary>The service it calls.</summary>
    public string Service => service;

    /// <summary>The host it runs on (1-based).</summary>
    public int Host => host;

    /// <summary>Its timed output.</summary>
    public TimedLines Lines => lines;

    /// <summary>Requests answered so far.</summary>
    public int Answered => lines.Lines.Count(l => !IsError(l.Text));

    /// <summary>Requests failed so far.</summary>
    public int Failed => lines.Lines.Count(l => IsError(l.Text));

    /// <summary>How many requests were answered at or after <paramref name="since"/>.</summary>
    public int AnsweredSince(TimeSpan since) => lines.Lines.Count(l => l.At >= since && !IsError(l.Text));

    /// <summary>
    /// The longest time between two answers (or from <paramref name="from"/> to the first, or from the last to
    /// <paramref name="until"/>) within [<paramref name="from"/>, <paramref name="until"/>]: the longest the client had
    /// no member that answered. Its request interval and round trip are part of it.
    /// </summary>
    public TimeSpan LongestWithoutAnswer(TimeSpan from, TimeSpan until)
    {
        TimeSpan last = from, longest = TimeSpan.Zero;
        foreach ((TimeSpan at, string text) in lines.Lines)
        {
            if (at < from || at > until || IsError(text))
            {
                continue;
            }
            longest = at - last > longest ? at - last : longest;
            last = at;
        }
        return until - last > longest ? until - last : longest;
    }

    /// <summary>The failures by kind (the error text with its numbers replaced by N), most frequent first, e.g. "12 x error: no live member of service 'a'".</summary>
    public IEnumerable<string> FailureKinds() => lines.Lines.Where(l => IsError(l.Text))
        .GroupBy(l => Digits().Replace(l.Text, "N"), StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .Select(g => $"{g.Count()} x {g.Key}");

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();

    private static bool IsError(string line) => line.StartsWith("error: ", StringComparison.Ordinal);
}
