using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>Adds sockets, a registry, service registrations and service hosts to the host; returned by <c>AddSpNet</c>.</summary>
public sealed class SpNetBuilder
{
    private readonly SpNetSetup _setup;

    internal SpNetBuilder(IServiceCollection services, SpNetSetup setup)
    {
        Services = services;
        _setup = setup;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds the socket <paramref name="name"/>, set in code; also resolvable as the keyed service <c>Socket</c> <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">A socket of that name was already added.</exception>
    public SpNetBuilder AddSocket(string name, Action<SocketSettings> configure)
    {
        return AddSocket(name, Configured(name, configure));
    }

    /// <summary>Adds the socket <paramref name="name"/> from a configuration section (Protocol, Listen, Dial, Subscribe, Options, Tls, ExpectPeers).</summary>
    /// <exception cref="ArgumentException">A socket of that name was already added.</exception>
    public SpNetBuilder AddSocket(string name, IConfiguration section)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(section);
        var settings = new SocketSettings();
        // Options are read by hand: their NNG names contain ':' (sub:subscribe), which configuration splits into sections.
        section.Bind(settings, o => o.ErrorOnUnknownConfiguration = false);
        settings.Options.Clear();
        foreach (var (key, value) in section.GetSection(nameof(SocketSettings.Options)).AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                settings.Options[key] = value;
            }
        }
        return AddSocket(name, settings);
    }

    /// <summary>Runs a discovery <see cref="Registry"/> with the host (one per host); also resolvable as <see cref="Registry"/>.</summary>
    public SpNetBuilder AddRegistry(Action<RegistryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new RegistryOptions();
        configure(options);
        _setup.Registry = options;
        return this;
    }

    /// <summary>Runs a discovery <see cref="Registry"/> from a configuration section (SurveyUrl, PublishUrl, Interval, MissedRounds, …).</summary>
    public SpNetBuilder AddRegistry(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddRegistry(section.Bind);
    }

    /// <summary>Announces this process to a registry while the host runs (<see cref="ServiceRegistration"/>), set in code.</summary>
    /// <exception cref="ArgumentException">A registration of that name was already added.</exception>
    public SpNetBuilder AddServiceRegistration(string name, Action<RegistrationSettings> configure)
    {
        AddNamed(_setup.Registrations, name, Configured(name, configure), "service registration");
        return this;
    }

    /// <summary>Announces this process to a registry from a configuration section (SurveyUrl, Service, Socket or Address, Meta, …).</summary>
    public SpNetBuilder AddServiceRegistration(string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddServiceRegistration(name, section.Bind);
    }

    /// <summary>
    /// Serves the service <paramref name="name"/> with a <see cref="ServiceHost"/> while the host runs, set in code; its
    /// handlers are the keyed services <see cref="IServiceRequestHandler"/>, <see cref="IServiceBroadcastHandler"/> and
    /// <see cref="IServiceTunnelHandler"/> named <paramref name="name"/>, and <see cref="ServiceHostSettings.Configure"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A service host of that name was already added.</exception>
    public SpNetBuilder AddServiceHost(string name, Action<ServiceHostSettings> configure)
    {
        AddNamed(_setup.ServiceHosts, name, Configured(name, configure), "service host");
        return this;
    }

    /// <summary>Serves a service from a configuration section (Service, SurveyUrls, Address, Zone, Meta, MaxConcurrency, Tls, …); handlers as in the other overload.</summary>
    /// <exception cref="ArgumentException">A service host of that name was already added.</exception>
    public SpNetBuilder AddServiceHost(string name, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return AddServiceHost(name, section.Bind);
    }

    /// <summary>
    /// Reads a whole <c>SpNet</c> section: every child of <c>Sockets</c>, <c>Registrations</c> and <c>Services</c> by
    /// name, and <c>Registry</c> when present.
    /// </summary>
    public SpNetBuilder AddConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (IConfigurationSection socket in section.GetSection("Sockets").GetChildren())
        {
            AddSocket(socket.Key, socket);
        }
        IConfigurationSection registry = section.GetSection("Registry");
        if (registry.Exists())
        {
            AddRegistry(registry);
        }
        foreach (IConfigurationSection registration in section.GetSection("Registrations").GetChildren())
        {
            AddServiceRegistration(registration.Key, registration);
        }
        foreach (IConfigurationSection service in section.GetSection("Services").GetChildren())
        {
            AddServiceHost(service.Key, service);
        }
        return this;
    }

    /// <summary>New settings of a named item as <paramref name="configure"/> sets them, after checking both arguments.</summary>
    private static TSettings Configured<TSettings>(string name, Action<TSettings> configure)
        where TSettings : new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        var settings = new TSettings();
        configure(settings);
        return settings;
    }

    /// <summary>Adds a named item; a name given twice is the caller's mistake, reported with what the item is.</summary>
    private static void AddNamed<TSettings>(Dictionary<string, TSettings> items, string name, TSettings settings, string what)
    {
        if (!items.TryAdd(name, settings))
        {
            throw new ArgumentException($"an SpNet {what} named '{name}' was already added", nameof(name));
        }
    }

    private SpNetBuilder AddSocket(string name, SocketSettings settings)
    {
        AddNamed(_setup.Sockets, name, settings, "socket");
        Services.AddKeyedSingleton<Socket>(name, static (provider, key) => provider.GetRequiredService<SpNetSockets>()[(string)key!]);
        return this;
    }
}
