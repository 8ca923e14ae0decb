using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SpNet.Extensions.Hosting;

/// <summary>Adds SpNet's health check: <c>builder.Services.AddHealthChecks().AddSpNet()</c>.</summary>
public static class SpNetHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds one check, <paramref name="name"/>, over every configured socket, registration and service host: Unhealthy
    /// while a socket with <see cref="SocketSettings.ExpectPeers"/> has no peer; Degraded, then Unhealthy, while the
    /// registry has not surveyed a registration (or a service host) for <see cref="RegistrationSettings.DegradedAfterRounds"/> /
    /// <see cref="RegistrationSettings.UnhealthyAfterRounds"/> rounds. Needs <c>AddSpNet</c>.
    /// </summary>
    public static IHealthChecksBuilder AddSpNet(this IHealthChecksBuilder builder, string name = "spnet", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            static provider => new SpNetHealthCheck(
                provider.GetRequiredService<SpNetSockets>(),
                provider.GetRequiredService<SpNetRegistrations>(),
                provider.GetRequiredService<SpNetServiceHosts>(),
                provider.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus: null,
            tags));
    }
}
