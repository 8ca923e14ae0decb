using System.Collections.Concurrent;

namespace SpNet;

/// <summary>
/// Recycles <see cref="Message"/> objects so that the steady state allocates none. Bodies come from
/// <see cref="BufferPool"/>; this pool keeps only the message shells, bounded in count.
/// </summary>
internal static class MessagePool
{
    private const int MaxPooled = 16384;
    private static readonly ConcurrentQueue<Message> s_pool = new();
    private static int s_count;

    public static Message Rent()
    {
        if (s_pool.TryDequeue(out Message? m))
        {
            Interlocked.Decrement(ref s_count);
            m.ResetForReuse();
            return m;
        }
        return new Message();
    }

    public static void Return(Message m)
    {
        if (Interlocked.Increment(ref s_count) <= MaxPooled)
        {
            s_pool.Enqueue(m);
        }
        else
        {
            Interlocked.Decrement(ref s_count);
        }
    }
}
