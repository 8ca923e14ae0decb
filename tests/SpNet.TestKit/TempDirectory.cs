namespace SpNet.TestKit;

/// <summary>A fresh directory under the temp directory for one test's files, deleted with its contents when disposed.</summary>
public sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Creates a directory whose name starts with <paramref name="prefix"/>.</summary>
    public static TempDirectory Create(string prefix) => new(Directory.CreateTempSubdirectory(prefix).FullName);

    /// <summary>Deletes the directory and everything in it.</summary>
    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <inheritdoc />
    public override string ToString() => Path;
}
