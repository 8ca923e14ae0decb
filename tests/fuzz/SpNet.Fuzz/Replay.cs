namespace SpNet.Fuzz;

/// <summary>Runs saved inputs (a corpus, crash files, regression inputs) through a target once each.</summary>
internal static class Replay
{
    public static int Run(string name, Action<byte[]> target, string[] paths)
    {
        int passed = 0;
        int failed = 0;
        foreach (string file in paths.SelectMany(Expand).Order(StringComparer.Ordinal))
        {
            try
            {
                target(File.ReadAllBytes(file));
                passed++;
            }
            catch (Exception ex)
            {
                failed++;
                Console.Error.WriteLine($"FAIL {file}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Console.WriteLine($"replay {name}: {passed} passed, {failed} failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(f => !Path.GetFileName(f).StartsWith('.')) : [path];
}
