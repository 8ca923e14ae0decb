using BenchmarkDotNet.Running;

namespace SpNet.Benchmarks;

/// <summary>
/// Micro-benchmarks: <c>dotnet run -c Release --project bench/SpNet.Benchmarks -- --filter '*'</c>
/// (add <c>--job short</c> for a quick pass). Every class has [MemoryDiagnoser]: the steady state should allocate nothing.
/// Runs in-process by default: BenchmarkDotNet's out-of-process toolchain looks for the .csproj next to the binary,
/// which the repository's artifacts/ output layout breaks. Pass <c>--outOfProcess</c> to opt out.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        string[] effective = args.Contains("--outOfProcess") ? [.. args.Where(a => a != "--outOfProcess")]
            : args.Contains("--inProcess") || args.Contains("-i") ? args
            : [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(effective);
    }
}
