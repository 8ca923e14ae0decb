using Microsoft.Extensions.Logging;

namespace SpNet.Tests.Transports;

/// <summary>Keeps every formatted log line with its level and event id, so a test can check that a failure was reported with its cause.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Text)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Text)> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public IReadOnlyList<string> Lines => [.. Entries.Select(e => e.Text)];

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries)
        {
            _entries.Add((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
