using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>Registers SpNet with a Generic Host: <c>builder.Services.AddSpNet(builder.Configuration.GetSection("SpNet"))</c>.</summary>
public static class SpNetServiceCollectionExtensions
{
    /// <summary>
    /// Adds SpNet's hosted service, <see cref="SpNetSockets"/>, <see cref="SpNetRegistrations"/> and
    /// <see cref="SpNetServiceHosts"/>; add sockets, a registry, registrations and service hosts with the returned builder. Calling it again returns a builder over the same setup.
    /// </summary>
    public static SpNetBuilder AddSpNet(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(SpNetSetup))?.ImplementationInstance as SpNetSetup;
        if (existing is not null)
        {
            return new SpNetBuilder(services, existing);
        }
        var setup = new SpNetSetup();
        services.AddSingleton(setup);
        services.TryAddSingleton(static provider => new SpNetSockets(
            provider.GetRequiredService<SpNetSetup>(),
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton(static provider => new SpNetRegistrations(provider.GetRequiredService<SpNetSetup>()));
        services.TryAddSingleton(static provider => new SpNetServiceHosts(provider.GetRequiredService<SpNetSetup>()));
        services.TryAddSingleton(static provider =>
        {
            RegistryOptions options = provider.GetRequiredService<SpNetSetup>().Registry
                ?? throw new InvalidOperationException("no SpNet registry was added (AddRegistry, or SpNet:Registry in configuration)");
            options.Logger ??= provider.GetService<ILoggerFactory>()?.CreateLogger<Registry>();
            return new Registry(options);
        });
        services.AddHostedService<SpNetHostedService>();
        return new SpNetBuilder(services, setup);
    }

    /// <summary>Adds SpNet and reads a whole <c>SpNet</c> configuration section (see <see cref="SpNetBuilder.AddConfiguration"/>).</summary>
    public static SpNetBuilder AddSpNet(this IServiceCollection services, IConfiguration section) =>
        services.AddSpNet().AddConfiguration(section);
}
