using Microsoft.Extensions.Logging;

namespace SpNet.Discovery.Etcd;

/// <summary>Source-generated log messages of the etcd backend.</summary>
internal static partial class EtcdLog
{
    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "etcd {Endpoints}: announcing {Member} failed ({Reason}); retrying")]
    public static partial void AnnounceFailed(ILogger logger, string endpoints, ServiceMember member, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Information, Message = "etcd {Endpoints}: {Member} listed under lease {Lease:x}")]
    public static partial void Announced(ILogger logger, string endpoints, ServiceMember member, long lease);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "etcd {Endpoints}: watch of {Prefix} lost ({Reason}); keeping the last view and retrying")]
    public static partial void WatchLost(ILogger logger, string endpoints, string prefix, string reason);

    [LoggerMessage(EventId = 113, Level = LogLevel.Information, Message = "etcd {Endpoints}: watching {Prefix} at revision {Revision} ({Members} members)")]
    public static partial void Watching(ILogger logger, string endpoints, string prefix, long revision, int members);
}
