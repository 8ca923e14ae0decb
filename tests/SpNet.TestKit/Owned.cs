namespace SpNet.TestKit;

/// <summary>Disposes what a test started, newest first (clients and hosts before the registries or backends they use).</summary>
public sealed class Owned : IAsyncDisposable
{
    private readonly Stack<object> _items = new();

    /// <summary>Takes <paramref name="item"/> (IAsyncDisposable or IDisposable) to dispose at the end; returns it.</summary>
    public T Add<T>(T item)
        where T : class
    {
        _items.Push(item);
        return item;
    }

    /// <summary>
    /// Owns whatever <paramref name="items"/> holds when the returned scope ends (a list a test fills as it goes, or an
    /// array of sockets), and disposes each then, newest first: <c>await using var _ = Owned.Each(members);</c>.
    /// </summary>
    public static IAsyncDisposable Each<T>(IEnumerable<T> items)
        where T : class => new EachOf<T>(items);

    /// <summary>Disposes everything added, newest first.</summary>
    public async ValueTask DisposeAsync()
    {
        while (_items.TryPop(out object? item))
        {
            if (item is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else if (item is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private sealed class EachOf<T>(IEnumerable<T> items) : IAsyncDisposable
        where T : class
    {
        public async ValueTask DisposeAsync()
        {
            var owned = new Owned();
            foreach (T item in items)
            {
                owned.Add(item);
            }
            await owned.DisposeAsync();
        }
    }
}
