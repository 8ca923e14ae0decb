using SpNet.Core;

namespace SpNet.Fuzz.Support;

/// <summary>The socket side of a pipe under test: records the size of each delivered message and frees it.</summary>
internal sealed class CollectingHost : IPipeHost
{
    private readonly List<int> _sizes = [];
    private int _closed;

    public SocketStatistics Statistics { get; } = new();

    public int ClosedCount => Volatile.Read(ref _closed);

    public int[] Sizes
    {
        get
        {
            lock (_sizes)
            {
                return [.. _sizes];
            }
        }
    }

    public ValueTask DeliverAsync(Pipe pipe, Message message)
    {
        lock (_sizes)
        {
            _sizes.Add(message.Length);
        }
        message.Dispose();
        return ValueTask.CompletedTask;
    }

    public void OnWritable(Pipe pipe)
    {
    }

    public void OnClosed(Pipe pipe) => Interlocked.Increment(ref _closed);
}
