using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// Unhealthy while a socket marked <see cref="SocketSettings.ExpectPeers"/> has no connected peer; Degraded, then
/// Unhealthy, when the registry has not surveyed a registration for <see cref="RegistrationSettings.DegradedAfterRounds"/>
/// or <see cref="RegistrationSettings.UnhealthyAfterRounds"/> of its intervals. The data names each problem.
/// </summary>
internal sealed class SpNetHealthCheck(SpNetSockets sockets, SpNetRegistrations registrations, TimeProvider clock) : IHealthCheck
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
        foreach (var (name, registration, silent, settings) in registrations.Observe(clock.GetUtcNow()))
        {
            double rounds = silent / settings.RegistryInterval;
            if (rounds >= settings.DegradedAfterRounds)
            {
                HealthStatus worst = rounds >= settings.UnhealthyAfterRounds ? HealthStatus.Unhealthy : HealthStatus.Degraded;
                problems[$"registration:{name}"] = $"not confirmed by {registration.Backend.Description} for {rounds:F0} rounds";
                status = worst < status ? worst : status;
            }
        }
        if (status == HealthStatus.Healthy)
        {
            return Task.FromResult(HealthCheckResult.Healthy("every SpNet socket and registration is connected"));
        }
        string description = string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}"));
        return Task.FromResult(new HealthCheckResult(status, description, data: problems));
    }
}
