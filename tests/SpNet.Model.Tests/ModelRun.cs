using CsCheck;

namespace SpNet.Model.Tests;

/// <summary>
/// How every model test here runs: CsCheck generates an operation sequence, the test applies it to SpNet and to a
/// tiny reference model and compares each observable result. Each run draws fresh sequences, so CI keeps exploring;
/// a failure is shrunk to the shortest sequence CsCheck finds and printed with its seed, <c>SPNET_MODEL_SEED</c>
/// replays that seed, and <c>SPNET_MODEL_ITER</c> scales the number of sequences for a longer hunt. Each shrunk
/// counterexample becomes a plain regression test beside its model.
/// </summary>
internal static class ModelRun
{
    /// <summary>Runs <paramref name="check"/> on <paramref name="iterations"/> sequences from <paramref name="gen"/>, single-threaded.</summary>
    public static void Sample<T>(Gen<T> gen, Action<T> check, long iterations, Func<T, string>? print = null)
    {
        string? seed = Environment.GetEnvironmentVariable("SPNET_MODEL_SEED");
        if (long.TryParse(Environment.GetEnvironmentVariable("SPNET_MODEL_ITER"), out long scaled) && scaled > 0)
        {
            iterations = scaled;
        }
        // threads: 1 — SpNet sockets do their own concurrency; CsCheck's parallel sampling would only add load.
        gen.Sample(check, seed: string.IsNullOrEmpty(seed) ? null : seed, iter: iterations, threads: 1, print: print);
    }
}
