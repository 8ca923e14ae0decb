using Microsoft.Extensions.Logging;

namespace SpNet.Discovery;

/// <summary>Source-generated log messages of the service layer.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "service '{Service}': the {Kind} handler threw")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string service, string kind);
}
