namespace SpNet;

/// <summary>Describes a pipe (one connection to one peer) that was added to or removed from a socket.</summary>
public sealed class PipeEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public PipeEventArgs(uint pipeId, string remoteAddress, string endpointUrl)
    {
        PipeId = pipeId;
        RemoteAddress = remoteAddress;
        EndpointUrl = endpointUrl;
    }

    /// <summary>The pipe's id: 31 bits, non-zero, unique in the process (as NNG's).</summary>
    public uint PipeId { get; }

    /// <summary>The peer's address, e.g. <c>tcp://127.0.0.1:40112</c>.</summary>
    public string RemoteAddress { get; }

    /// <summary>The URL of the dialer or listener that made the pipe.</summary>
    public string EndpointUrl { get; }
}
