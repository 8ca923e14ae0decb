using Microsoft.Extensions.Logging;
using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>The host's running service registrations by name; they start after the sockets listen and stop before the sockets close.</summary>
public sealed class SpNetRegistrations : IAsyncDisposable
{
    private readonly SpNetSetup _setup;
    private readonly RunningSet<RegistrationSettings, ServiceRegistration> _running;

    internal SpNetRegistrations(SpNetSetup setup)
    {
        _setup = setup;
        _running = new(setup.Registrations, "service registration", registration => registration);
    }

    /// <summary>The configured registration names.</summary>
    public IReadOnlyCollection<string> Names => _running.Names;

    /// <summary>The running registration <paramref name="name"/>, or null before the host started it or after it stopped.</summary>
    /// <exception cref="KeyNotFoundException">No registration has that name.</exception>
    public ServiceRegistration? this[string name] => _running[name];

    /// <summary>Stops every registration; the registry drops these members after its missed rounds. Idempotent.</summary>
    public ValueTask DisposeAsync() => _running.DisposeAsync();

    /// <summary>Each running registration with how long the registry has not confirmed it (since its last renewal was first observed, or since it started).</summary>
    internal List<(string Name, ServiceRegistration Registration, TimeSpan Silent, RegistrationSettings Settings)> Observe(DateTimeOffset now) =>
        _running.Observe(now);

    internal void StartAll(SpNetSockets sockets, ILoggerFactory loggerFactory, TimeProvider clock)
    {
        foreach (var (name, settings) in _setup.Registrations)
        {
            var member = new ServiceMember(string.IsNullOrEmpty(settings.Service) ? name : settings.Service, AddressOf(name, settings, sockets), settings.Meta.AsReadOnly());
            ServiceRegistration registration = ServiceRegistration.Start(
                settings.SurveyUrl, member, settings.ReconnectMaxTime, logger: loggerFactory.CreateLogger($"SpNet.Registrations.{name}"));
            _running.Add(name, registration, clock.GetUtcNow());
        }
    }

    private static string AddressOf(string name, RegistrationSettings settings, SpNetSockets sockets)
    {
        if (!string.IsNullOrEmpty(settings.Address))
        {
            return settings.Address;
        }
        if (string.IsNullOrEmpty(settings.Socket))
        {
            throw new InvalidOperationException($"SpNet service registration '{name}' needs an Address or the name of a Socket that listens");
        }
        IReadOnlyList<Listener> listeners = sockets[settings.Socket].Listeners;
        return listeners.Count > 0
            ? listeners[0].Url
            : throw new InvalidOperationException($"SpNet service registration '{name}': socket '{settings.Socket}' listens nowhere, so it has no address to announce");
    }
}
