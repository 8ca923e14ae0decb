using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>Serves the tunnels clients open to a hosted service: register it as a keyed service under the service's settings name.</summary>
public interface IServiceTunnelHandler
{
    /// <summary>Serves one tunnel; the host disposes the tunnel when the returned task ends.</summary>
    Task HandleAsync(Tunnel tunnel, CancellationToken cancellationToken);
}
