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
}
