namespace SpNet.Extensions.Hosting;

/// <summary>Receives the broadcasts of a hosted service: register it as a keyed service under the service's settings name.</summary>
public interface IServiceBroadcastHandler
{
    /// <summary>Handles one broadcast; <paramref name="message"/> is owned by the host for the call only.</summary>
    ValueTask HandleAsync(Message message, CancellationToken cancellationToken);
}
