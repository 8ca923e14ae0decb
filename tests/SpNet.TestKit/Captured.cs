namespace SpNet.TestKit;

/// <summary>A thread-safe text writer whose lines can be read while a command writes.</summary>
public sealed class Captured : IDisposable
{
    private readonly StringWriter _inner = new();

    /// <summary>Creates an empty capture.</summary>
    public Captured() => Writer = TextWriter.Synchronized(_inner);

    /// <summary>The writer to hand to a command; safe to use from several threads.</summary>
    public TextWriter Writer { get; }

    /// <inheritdoc />
    public void Dispose() => _inner.Dispose();

    /// <summary>The non-empty lines written so far.</summary>
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
