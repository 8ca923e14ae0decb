using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// Unhealthy while a socket marked <see cref="SocketSettings.ExpectPeers"/> has no connected peer; Degraded, then
/// Unhealthy, when the registry has not surveyed a registration (or a service host) for <see cref="RegistrationSettings.DegradedAfterRounds"/>
/// or <see cref="RegistrationSettings.UnhealthyAfterRounds"/> of its intervals. The data names each problem.
/// </summary>
internal sealed class SpNetHealthCheck(SpNetSockets sockets, SpNetRegistrations registrations, SpNetServiceHosts serviceHosts, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new Dictionary<string, object>(StringComparer.Ordinal);
        HealthStatus status = HealthStatus.Healthy;
        foreach (var (name, socket, settings) in sockets.All)
        {
            if (settings.ExpectPeers && socket.Statistics.CurrentPipes <= 0)
            {
                problems[$"socket:{name}"] = $"no connected peer ({socket.Statistics.ConnectFailures} failed dials)";
                status = HealthStatus.Unhealthy;
            }
        }
        DateTimeOffset now = clock.GetUtcNow();
        foreach (var (name, registration, silent, settings) in registrations.Observe(now))
        {
            status = Worst(status, Silence($"registration:{name}", registration, silent / settings.RegistryInterval, settings.DegradedAfterRounds, settings.UnhealthyAfterRounds, problems));
        }
        foreach (var (name, registration, silent, settings) in serviceHosts.Observe(now))
        {
            status = Worst(status, Silence($"service:{name}", registration, silent / settings.RegistryInterval, settings.DegradedAfterRounds, settings.UnhealthyAfterRounds, problems));
        }
        if (status == HealthStatus.Healthy)
        {
            return Task.FromResult(HealthCheckResult.Healthy("every SpNet socket and registration is connected"));
        }
        string description = string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}"));
        return Task.FromResult(new HealthCheckResult(status, description, data: problems));
    }

    private static HealthStatus Silence(string key, ServiceRegistration registration, double rounds, int degradedAfter, int unhealthyAfter, Dictionary<string, object> problems)
    {
        if (rounds < degradedAfter)
        {
            return HealthStatus.Healthy;
        }
        problems[key] = $"not confirmed by {registration.Backend.Description} for {rounds:F0} rounds";
        return rounds >= unhealthyAfter ? HealthStatus.Unhealthy : HealthStatus.Degraded;
    }

    private static HealthStatus Worst(HealthStatus a, HealthStatus b) => a < b ? a : b;
}
