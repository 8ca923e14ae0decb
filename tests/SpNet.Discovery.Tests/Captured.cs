namespace SpNet.Discovery.Tests;

/// <summary>A thread-safe text writer whose lines can be read while a command writes.</summary>
internal sealed class Captured : IDisposable
{
    private readonly StringWriter _inner = new();

    public Captured() => Writer = TextWriter.Synchronized(_inner);

    public TextWriter Writer { get; }

    public void Dispose() => _inner.Dispose();

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (Writer)
            {
                return _inner.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }
    }
}
