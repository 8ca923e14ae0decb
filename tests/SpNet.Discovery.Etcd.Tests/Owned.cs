namespace SpNet.Discovery.Etcd.Tests;

/// <summary>Disposes what a test started, newest first (clients and hosts before the backends they use).</summary>
internal sealed class Owned : IAsyncDisposable
{
    private readonly Stack<object> _items = new();

    public T Add<T>(T item)
        where T : class
    {
        _items.Push(item);
        return item;
    }

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
