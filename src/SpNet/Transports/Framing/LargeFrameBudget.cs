namespace SpNet.Transports.Framing;

/// <summary>
/// How many bytes the whole process may reserve for large frames on the word of their length headers alone. A frame
/// that fits in what is left gets its full size at once (a fast sender's large message: one buffer, no copies); the
/// others grow with what actually arrives. So 500 peers that each announce 1 MiB and trickle it cost at most this
/// budget plus twice what they sent, where reserving every announced size took 500 MiB (1 GiB with rounding).
/// </summary>
internal static class LargeFrameBudget
{
    /// <summary>
    /// 8 MiB: eight 1 MiB messages (NNG's default receive limit) in flight at once at full speed. Growing instead cost
    /// 512 KiB messages ~9 % of their throughput (copies on each doubling).
    /// </summary>
    internal const long Budget = 8L * 1024 * 1024;

    private static long s_reserved;

    /// <summary>Bytes reserved now (for tests).</summary>
    internal static long Reserved => Volatile.Read(ref s_reserved);

    /// <summary>Takes <paramref name="size"/> bytes of the budget if they are left; <see cref="Release"/> gives them back.</summary>
    public static bool TryReserve(int size)
    {
        if (Interlocked.Add(ref s_reserved, size) <= Budget)
        {
            return true;
        }
        Interlocked.Add(ref s_reserved, -size);
        return false;
    }

    /// <summary>Counts <paramref name="bytes"/> as held by other frames, or gives them back when negative (tests).</summary>
    internal static void Hold(long bytes) => Interlocked.Add(ref s_reserved, bytes);

    /// <summary>Returns bytes taken by <see cref="TryReserve"/>.</summary>
    public static void Release(int size) => Interlocked.Add(ref s_reserved, -size);
}
