using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpNet;

namespace WorkerService;

/// <summary>Answers every request on the configured "echo" socket with "echo: " and the request, and logs the health once a minute.</summary>
internal sealed partial class EchoWorker(
    [FromKeyedServices("echo")] Socket socket,
    HealthCheckService health,
    ILogger<EchoWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogServing(logger, socket.Listeners);
        Task report = ReportHealthAsync(stoppingToken);
        try
        {
            await foreach (Message request in socket.ReceiveAllAsync(stoppingToken))
            {
                using (request)
                {
                    await socket.SendAsync(Message.Create($"echo: {request}"), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
        await report;
    }

    private async Task ReportHealthAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                HealthReport report = await health.CheckHealthAsync(stoppingToken);
                report.Entries.TryGetValue("spnet", out HealthReportEntry spnet);
                LogHealth(logger, report.Status, spnet.Description);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "echo serving on {Listeners}")]
    private static partial void LogServing(ILogger logger, IReadOnlyList<Listener> listeners);

    [LoggerMessage(Level = LogLevel.Information, Message = "health {Status}: {Description}")]
    private static partial void LogHealth(ILogger logger, HealthStatus status, string? description);
}
