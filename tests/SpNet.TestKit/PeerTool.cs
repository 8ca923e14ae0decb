namespace SpNet.TestKit;

/// <summary>
/// An external SP command-line peer (nngcat, nanocat, spcat): how to start it and how to install it.
/// </summary>
/// <param name="Name">The peer's name as tests ask for it (<c>nngcat</c>, <c>nanocat</c>, <c>spcat</c>).</param>
/// <param name="FileName">The executable to start (for spcat, <c>dotnet</c>).</param>
/// <param name="LeadingArguments">Arguments placed before the test's own (for spcat, the path of <c>spcat.dll</c>).</param>
public sealed record PeerTool(string Name, string FileName, IReadOnlyList<string> LeadingArguments)
{
    /// <summary>The full argument list for <paramref name="arguments"/>.</summary>
    public IReadOnlyList<string> Arguments(IEnumerable<string> arguments) => [.. LeadingArguments, .. arguments];

    /// <inheritdoc />
    public override string ToString() => Name;
}
