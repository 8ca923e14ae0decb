using Microsoft.Extensions.Logging;

namespace SpNet.Discovery.Tests;

/// <summary>A logger that keeps every entry, for tests that assert what a registry, member or client logged.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Text)> _entries = [];

    /// <summary>Warnings logged so far.</summary>
    public int Warnings
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count(e => e.Level == LogLevel.Warning);
            }
        }
    }

    /// <summary>True once an entry with <paramref name="eventId"/> whose text contains <paramref name="text"/> was logged.</summary>
    public bool Has(int eventId, string text) => Count(eventId, text) > 0;

    /// <summary>How many entries with <paramref name="eventId"/> contain <paramref name="text"/>.</summary>
    public int Count(int eventId, string text)
    {
        lock (_entries)
        {
            return _entries.Count(e => e.EventId == eventId && e.Text.Contains(text, StringComparison.Ordinal));
        }
    }

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
