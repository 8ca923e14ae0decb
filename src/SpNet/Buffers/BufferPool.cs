using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;

namespace SpNet;

/// <summary>
/// Message body buffers, pooled by power-of-two size class. Unlike <see cref="ArrayPool{T}.Shared"/>, whose
/// per-core stacks hold a few dozen arrays, this pool is built for the SP pattern of one thread renting (a read
/// loop or a sender) and another returning (a consumer or a write loop) with hundreds of messages in flight.
/// Each class keeps at most a fixed byte budget, so idle memory stays bounded: 16 MiB per class up to 64 KiB
/// (enough for full send and receive queues of small messages at the largest depth, 8192 each, or of 1 KiB messages at 4096 each), 8 MiB above.
/// Bodies over 1 MiB get an array of exactly their size and are not pooled: rounding them up to a power of two, as
/// <see cref="ArrayPool{T}.Shared"/> does, made a 700 MiB message take a 1 GiB array, and a stalled subscriber's
/// queue of large messages hold up to twice their bytes.
/// </summary>
internal static class BufferPool
{
    private const int MinShift = 6;     // 64 B
    private const int MaxShift = 20;    // 1 MiB; larger bodies are allocated at their exact size
    private const int SmallClassBudget = 16 * 1024 * 1024;
    private const int LargeClassBudget = 8 * 1024 * 1024;
    private const int LargeClassThreshold = 64 * 1024;
    private const int MaxArraysPerClass = 16384; // two full 8192-message queues of small messages (NNG's largest SENDBUF/RECVBUF)

    /// <summary>The largest body size that is pooled; larger ones get an exact, unpooled array.</summary>
    public const int LargestPooled = 1 << MaxShift;

    private static readonly ConcurrentQueue<byte[]>[] s_classes = CreateClasses();
    private static readonly int[] s_counts = new int[MaxShift - MinShift + 1];

    /// <summary>Returns an array of at least <paramref name="size"/> bytes.</summary>
    public static byte[] Rent(int size)
    {
        int index = ClassOf(size);
        if (index < 0)
        {
            return GC.AllocateUninitializedArray<byte>(size);
        }
        if (s_classes[index].TryDequeue(out byte[]? array))
        {
            Interlocked.Decrement(ref s_counts[index]);
            return array;
        }
        return GC.AllocateUninitializedArray<byte>(1 << (index + MinShift));
    }

    /// <summary>Takes back an array obtained from <see cref="Rent"/>.</summary>
    public static void Return(byte[] array)
    {
        int index = ClassOf(array.Length);
        if (index < 0 || 1 << (index + MinShift) != array.Length)
        {
            return; // over 1 MiB, or not one of ours: let the GC have it
        }
        int budget = array.Length <= LargeClassThreshold ? SmallClassBudget : LargeClassBudget;
        int limit = Math.Min(MaxArraysPerClass, budget / array.Length);
        if (Interlocked.Increment(ref s_counts[index]) <= limit)
        {
            s_classes[index].Enqueue(array);
        }
        else
        {
            Interlocked.Decrement(ref s_counts[index]);
        }
    }

    /// <summary>The length of the array <see cref="Rent"/> returns for <paramref name="size"/> bytes.</summary>
    public static int CapacityFor(int size)
    {
        int index = ClassOf(size);
        return index < 0 ? size : 1 << (index + MinShift);
    }

    private static int ClassOf(int size)
    {
        if (size > 1 << MaxShift)
        {
            return -1;
        }
        int shift = size <= 1 << MinShift ? MinShift : 32 - BitOperations.LeadingZeroCount((uint)size - 1);
        return shift - MinShift;
    }

    private static ConcurrentQueue<byte[]>[] CreateClasses()
    {
        var classes = new ConcurrentQueue<byte[]>[MaxShift - MinShift + 1];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = new ConcurrentQueue<byte[]>();
        }
        return classes;
    }
}
