namespace SpNet.Extensions.Hosting;

/// <summary>
/// Answers the requests (and gathers) of a hosted service: register it as a keyed service under the service's
/// settings name, e.g. <c>services.AddKeyedSingleton&lt;IServiceRequestHandler, EchoHandler&gt;("echo")</c>.
/// </summary>
public interface IServiceRequestHandler
{
    /// <summary>
    /// Returns the reply to <paramref name="request"/>. The request is owned by the host for the call only; the reply's
    /// ownership passes to the host (returning the request itself is allowed). A throw sends the caller an error reply.
    /// </summary>
    ValueTask<Message> HandleAsync(Message request, CancellationToken cancellationToken);
}
