using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>What the builder collected: the sockets, the registry, the registrations and the service hosts the host runs.</summary>
internal sealed class SpNetSetup
{
    public Dictionary<string, SocketSettings> Sockets { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, RegistrationSettings> Registrations { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ServiceHostSettings> ServiceHosts { get; } = new(StringComparer.Ordinal);

    public RegistryOptions? Registry { get; set; }
}
