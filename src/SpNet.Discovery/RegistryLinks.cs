namespace SpNet.Discovery;

/// <summary>
/// One link per registry address (a member's <see cref="SurveyLink"/>s, a watcher's <see cref="RegistryFollower"/>s),
/// opened together and disposed together: when opening one fails, those already open are disposed before the failure
/// goes on, so a half-made set leaves no socket behind.
/// </summary>
internal sealed class RegistryLinks<T> : IAsyncDisposable
    where T : IAsyncDisposable
{
    private readonly List<T> _links;

    private RegistryLinks(List<T> links) => _links = links;

    /// <summary>The links, one per address, in the order given.</summary>
    public IReadOnlyList<T> All => _links;

    /// <summary>Opens a link to each of <paramref name="urls"/> with <paramref name="open"/>.</summary>
    public static RegistryLinks<T> Open(IEnumerable<string> urls, Func<string, T> open)
    {
        var links = new List<T>();
        try
        {
            foreach (string url in urls)
            {
                links.Add(open(url));
            }
        }
        catch
        {
            foreach (T link in links)
            {
                link.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            throw;
        }
        return new RegistryLinks<T>(links);
    }

    /// <summary>Disposes every link, one after the other.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (T link in _links)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }
}
