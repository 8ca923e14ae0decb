using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// One service registration (<c>SpNet:Registrations:&lt;name&gt;</c>): this process announces itself to a registry as a
/// member of <see cref="Service"/> while the host runs.
/// </summary>
public sealed class RegistrationSettings
{
    /// <summary>The registry's survey address.</summary>
    public string SurveyUrl { get; set; } = "";

    /// <summary>The service name; null or empty means the registration's name.</summary>
    public string? Service { get; set; }

    /// <summary>The address clients should dial; null means the first listener of <see cref="Socket"/>, as bound (a port 0 request names the real port).</summary>
    public string? Address { get; set; }

    /// <summary>The name of a configured socket whose first listener gives <see cref="Address"/>.</summary>
    public string? Socket { get; set; }

    /// <summary>Metadata announced with the member (e.g. <c>zone</c>).</summary>
    public IDictionary<string, string> Meta { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Largest redial wait towards the registry; null means <see cref="ServiceRegistration.DefaultReconnectMaxTime"/>.</summary>
    public TimeSpan? ReconnectMaxTime { get; set; }

    /// <summary>The registry's survey interval, used by the health check to count missed rounds. Default <see cref="RegistryOptions.DefaultInterval"/>.</summary>
    public TimeSpan RegistryInterval { get; set; } = RegistryOptions.DefaultInterval;

    /// <summary>Rounds without a survey after which the health check reports Degraded. Default 3.</summary>
    public int DegradedAfterRounds { get; set; } = 3;

    /// <summary>Rounds without a survey after which the health check reports Unhealthy. Default 10.</summary>
    public int UnhealthyAfterRounds { get; set; } = 10;
}
