using SpNet.Discovery;

namespace SpNet.Extensions.Hosting;

/// <summary>
/// The running items of one kind (service registrations, service hosts) by their settings name: looked up by name,
/// observed by the health check through the registration each one renews, and stopped together.
/// </summary>
internal sealed class RunningSet<TSettings, TItem>(Dictionary<string, TSettings> configured, string what, Func<TItem, ServiceRegistration> registrationOf)
    where TItem : class, IAsyncDisposable
{
    private readonly Dictionary<string, (TItem Item, RenewalWatch Watch)> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The configured names.</summary>
    public IReadOnlyCollection<string> Names => configured.Keys;

    /// <summary>The running item <paramref name="name"/>, or null before it started or after it stopped.</summary>
    /// <exception cref="KeyNotFoundException">Nothing of this kind has that name.</exception>
    public TItem? this[string name]
    {
        get
        {
            if (!configured.ContainsKey(name))
            {
                throw new KeyNotFoundException($"no SpNet {what} named '{name}' (configured: {string.Join(", ", Names)})");
            }
            lock (_gate)
            {
                return _running.TryGetValue(name, out var running) ? running.Item : null;
            }
        }
    }

    /// <summary>Records <paramref name="item"/> as running under <paramref name="name"/>, its renewals watched from <paramref name="startedAt"/>.</summary>
    public void Add(string name, TItem item, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            _running[name] = (item, new RenewalWatch(startedAt));
        }
    }

    /// <summary>Each running item's registration with how long its registry has not confirmed it, and the item's settings.</summary>
    public List<(string Name, ServiceRegistration Registration, TimeSpan Silent, TSettings Settings)> Observe(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _running.Select(r =>
            {
                ServiceRegistration registration = registrationOf(r.Value.Item);
                return (r.Key, registration, r.Value.Watch.SilentFor(registration.Renewals, now), configured[r.Key]);
            })];
        }
    }

    /// <summary>Stops every running item. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        List<TItem> running;
        lock (_gate)
        {
            running = [.. _running.Values.Select(r => r.Item)];
            _running.Clear();
        }
        foreach (TItem item in running)
        {
            await item.DisposeAsync().ConfigureAwait(false);
        }
    }
}
