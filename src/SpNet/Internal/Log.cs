using Microsoft.Extensions.Logging;

namespace SpNet.Internal;

/// <summary>Source-generated log messages with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "pipe {PipeId} to {Remote} closed: {Reason} ({Detail})")]
    public static partial void PipeClosed(ILogger logger, uint pipeId, string remote, SpError reason, string detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Url}: rejected pipe from {Remote}: {Why}")]
    public static partial void PipeRejected(ILogger logger, string url, string remote, string why);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "dial failed: {Detail} (will retry) [{Url}]")]
    public static partial void DialFailed(ILogger logger, string url, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Url}: connection lost ({Detail}); redialing")]
    public static partial void PipeLost(ILogger logger, string url, string detail);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "{Url}: accept failed: {Detail}")]
    public static partial void AcceptFailed(ILogger logger, string url, string detail);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Url}: handshake with {Remote} failed: {Detail}")]
    public static partial void HandshakeFailed(ILogger logger, string url, string remote, string detail);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Url}: a pipe event handler threw: {Detail}")]
    public static partial void EventHandlerFailed(ILogger logger, string url, string detail);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{Url}: still failing to dial after {Attempts} attempts over {Elapsed}: {Detail}")]
    public static partial void DialStillFailing(ILogger logger, string url, long attempts, TimeSpan elapsed, string detail);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{Url}: connected after {Failures} failed attempts")]
    public static partial void DialRecovered(ILogger logger, string url, long failures);
}
