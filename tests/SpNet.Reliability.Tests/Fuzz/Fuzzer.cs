using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;

namespace SpNet.Reliability.Tests.Fuzz;

/// <summary>
/// Seeded random and mutation-based input generation. Input <c>i</c> of a run depends only on (seed, i), so a
/// failure names the seed and the index and is replayed with <c>SPNET_FUZZ_SEED</c>.
/// </summary>
internal static class Fuzzer
{
    private static readonly ulong[] s_interestingLengths =
    [
        0, 1, 3, 4, 7, 8, 9, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF,
        0x100000000, (ulong)Array.MaxLength, (ulong)Array.MaxLength + 1, long.MaxValue, (ulong)long.MaxValue + 1, ulong.MaxValue,
    ];

    /// <summary>An RNG for input <paramref name="index"/> of the run with <paramref name="seed"/> (splitmix-style mixing, stable across processes).</summary>
    public static Random For(int seed, long index)
    {
        ulong z = ((ulong)(uint)seed << 32) ^ (ulong)index;
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        return new Random((int)z ^ (int)(z >> 32));
    }

    /// <summary>
    /// A mutated copy of one of <paramref name="corpus"/> (1 to 4 mutations), or, one time in eight, pure random
    /// bytes up to <paramref name="maxRandom"/> long.
    /// </summary>
    public static byte[] Next(Random random, IReadOnlyList<byte[]> corpus, int maxRandom = 64)
    {
        if (random.Next(8) == 0)
        {
            byte[] noise = new byte[random.Next(maxRandom + 1)];
            random.NextBytes(noise);
            return noise;
        }
        var data = new List<byte>(corpus[random.Next(corpus.Count)]);
        int mutations = 1 + random.Next(4);
        for (int m = 0; m < mutations; m++)
        {
            Mutate(random, data);
        }
        return [.. data];
    }

    private static void Mutate(Random random, List<byte> data)
    {
        int at = data.Count == 0 ? 0 : random.Next(data.Count);
        switch (random.Next(9))
        {
            case 0 when data.Count > 0: // flip a bit
                data[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0: // interesting byte
                data[at] = random.Next(5) switch { 0 => 0, 1 => 0xFF, 2 => 0x7F, 3 => 0x80, _ => (byte)random.Next(256) };
                break;
            case 2: // insert random bytes
                byte[] extra = new byte[1 + random.Next(16)];
                random.NextBytes(extra);
                data.InsertRange(at, extra);
                break;
            case 3 when data.Count > 0: // delete a range
                data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(16)));
                break;
            case 4: // truncate
                if (data.Count > 0)
                {
                    int keep = random.Next(data.Count);
                    data.RemoveRange(keep, data.Count - keep);
                }
                break;
            case 5 when data.Count > 0: // duplicate a chunk
                int len = Math.Min(data.Count - at, 1 + random.Next(32));
                data.InsertRange(at, data.GetRange(at, len));
                break;
            case 6: // overwrite with an interesting u64 (lengths)
            {
                byte[] value = new byte[8];
                BinaryPrimitives.WriteUInt64BigEndian(value, s_interestingLengths[random.Next(s_interestingLengths.Length)]);
                Overwrite(data, at, value);
                break;
            }
            case 7: // overwrite with an interesting u32 (tags, hop counts)
            {
                byte[] value = new byte[4];
                uint v = random.Next(6) switch { 0 => 0, 1 => 0x80000000, 2 => 0xFFFFFFFF, 3 => 0xFF, 4 => 0x100, _ => (uint)random.Next() };
                BinaryPrimitives.WriteUInt32BigEndian(value, v);
                Overwrite(data, at, value);
                break;
            }
            default: // random byte
                if (data.Count > 0)
                {
                    data[at] = (byte)random.Next(256);
                }
                break;
        }
    }

    private static void Overwrite(List<byte> data, int at, byte[] value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (at + i < data.Count)
            {
                data[at + i] = value[i];
            }
            else
            {
                data.Add(value[i]);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="count"/> inputs through <paramref name="check"/>; any exception it lets out is a failure
    /// that names the decoder, seed, index and input. Prints the seed and throughput.
    /// </summary>
    public static void Run(ITestOutputHelper output, string decoder, int count, Func<Random, byte[]> generate, Action<byte[]> check)
    {
        int seed = Mode.FuzzSeed;
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        for (int i = 0; i < count; i++)
        {
            byte[] input = generate(For(seed, i));
            try
            {
                check(input);
            }
            catch (Exception ex)
            {
                throw new FuzzFailureException(decoder, seed, i, input, ex);
            }
        }
        long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        output.WriteLine($"{decoder}: {count:N0} inputs, seed {seed} (SPNET_FUZZ_SEED={seed}), {clock.Elapsed.TotalSeconds:0.0} s, {allocated / Math.Max(1, count):N0} B allocated per input");
    }

    /// <summary>
    /// As <see cref="Run"/>, for a check that waits on other threads (a pipe's read loop runs on the thread pool):
    /// up to <paramref name="width"/> inputs are in flight at once, so a run costs the CPU its inputs need rather
    /// than one thread hand-off latency per input. On a loaded machine each hand-off waits for a time slice; one
    /// input at a time, 50,000 inputs then took over 5 minutes (47 ms each under stress-ng, 0.1 ms quiet).
    /// Inputs are independent, so running them side by side changes no outcome; failures still name the input.
    /// </summary>
    public static async Task RunConcurrentAsync(ITestOutputHelper output, string decoder, int count, int width, Func<Random, byte[]> generate, Func<byte[], Task> check)
    {
        int seed = Mode.FuzzSeed;
        var clock = Stopwatch.StartNew();
        long allocatedBefore = GC.GetTotalAllocatedBytes();
        var inFlight = new Queue<(int Index, byte[] Input, Task Check)>(width);
        for (int i = 0; i < count || inFlight.Count > 0;)
        {
            if (i < count && inFlight.Count < width)
            {
                byte[] input = generate(For(seed, i));
                Task started;
                try
                {
                    started = check(input);
                }
                catch (Exception ex)
                {
                    started = Task.FromException(ex);
                }
                inFlight.Enqueue((i, input, started));
                i++;
                continue;
            }
            (int index, byte[] oldest, Task pending) = inFlight.Dequeue();
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new FuzzFailureException(decoder, seed, index, oldest, ex);
            }
        }
        long allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        output.WriteLine($"{decoder}: {count:N0} inputs ({width} at a time), seed {seed} (SPNET_FUZZ_SEED={seed}), {clock.Elapsed.TotalSeconds:0.0} s, {allocated / Math.Max(1, count):N0} B allocated per input");
    }
}

/// <summary>A fuzz input with an outcome outside the contract.</summary>
public sealed class FuzzFailureException(string decoder, int seed, int index, byte[] input, Exception inner)
    : Exception($"{decoder}: input {index} of seed {seed} (replay with SPNET_FUZZ_SEED={seed}) broke the contract: {inner.GetType().Name}: {inner.Message}\ninput ({input.Length} B): {Convert.ToHexString(input.AsSpan(0, Math.Min(256, input.Length)))}", inner);
