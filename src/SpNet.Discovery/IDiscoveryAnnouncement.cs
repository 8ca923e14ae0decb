namespace SpNet.Discovery;

/// <summary>A member being announced by an <see cref="IDiscoveryBackend"/>; disposing it withdraws the member.</summary>
public interface IDiscoveryAnnouncement : IAsyncDisposable
{
    /// <summary>True while connected to at least one registry (or while the store's lease is alive).</summary>
    bool IsConnected { get; }

    /// <summary>Times the member has been confirmed so far: survey answers sent, or lease renewals.</summary>
    long Renewals { get; }
}
