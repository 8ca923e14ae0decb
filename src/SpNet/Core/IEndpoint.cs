namespace SpNet.Core;

/// <summary>What the socket needs of a dialer or listener.</summary>
internal interface IEndpoint : IAsyncDisposable
{
    /// <summary>The endpoint's address.</summary>
    string Url { get; }

    /// <summary>Stops at once; idempotent.</summary>
    void Close();
}
