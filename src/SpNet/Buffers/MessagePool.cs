using System.Collections.Concurrent;

namespace SpNet;

/// <summary>
/// Recycles <see cref="Message"/> objects so that the steady state allocates none. Bodies come from
/// <see cref="BufferPool"/>; this pool keeps only the message shells, bounded in count.
/// </summary>
/// <remarks>
/// The pool is also a quarantine: first in, first out, and a shell is handed out again only while at least
/// <see cref="Quarantine"/> others wait behind it. An application that keeps a reference to a message it sent or
/// disposed therefore meets <see cref="ObjectDisposedException"/> until that many messages have been released after it,
/// rather than the next message that happens to reuse the object. The cost is that many idle shells (about 150 B each),
/// taken once while a process warms up.
/// </remarks>
internal static class MessagePool
{
    /// <summary>Shells released after one before it is handed out again (fewer only by threads renting at that very instant).</summary>
    public const int Quarantine = 1024;

    private const int MaxPooled = 16384;
    private static readonly ConcurrentQueue<Message> s_pool = new();

    /// <summary>Shells in the queue, never more than it holds: <see cref="Return"/> enqueues before it counts.</summary>
    private static int s_count;

    public static Message Rent()
    {
        // Claim a shell before taking one, so concurrent renters cannot together dig into the quarantine.
        if (Interlocked.Decrement(ref s_count) >= Quarantine && s_pool.TryDequeue(out Message? m))
        {
            m.ResetForReuse();
            return m;
        }
        Interlocked.Increment(ref s_count);
        return new Message();
    }

    public static void Return(Message m)
    {
        if (Volatile.Read(ref s_count) < MaxPooled)
        {
            s_pool.Enqueue(m);
            Interlocked.Increment(ref s_count);
        }
    }
}
