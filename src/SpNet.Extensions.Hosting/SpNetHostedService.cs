using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// Starts, in order, the sockets (listen, then dial in the background), the registry, the registrations and the
/// service hosts, so a registration announces an address that is already bound and a service host can register with a
/// registry in this process; stops them in the reverse order.
/// </summary>
internal sealed class SpNetHostedService(IServiceProvider provider) : IHostedService
{
    private readonly SpNetSetup _setup = provider.GetRequiredService<SpNetSetup>();
    private readonly SpNetSockets _sockets = provider.GetRequiredService<SpNetSockets>();
    private readonly SpNetRegistrations _registrations = provider.GetRequiredService<SpNetRegistrations>();
    private readonly SpNetServiceHosts _serviceHosts = provider.GetRequiredService<SpNetServiceHosts>();
    private readonly ILoggerFactory _loggerFactory = provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _sockets.StartAll();
        if (_setup.Registry is not null)
        {
            await provider.GetRequiredService<Registry>().StartAsync(cancellationToken).ConfigureAwait(false);
        }
        TimeProvider clock = provider.GetService<TimeProvider>() ?? TimeProvider.System;
        _registrations.StartAll(_sockets, _loggerFactory, clock);
        await _serviceHosts.StartAllAsync(provider, _loggerFactory, clock, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _serviceHosts.DisposeAsync().ConfigureAwait(false);
        await _registrations.DisposeAsync().ConfigureAwait(false);
        if (_setup.Registry is not null)
        {
            await provider.GetRequiredService<Registry>().DisposeAsync().ConfigureAwait(false);
        }
        await _sockets.DisposeAsync().ConfigureAwait(false);
    }
}
