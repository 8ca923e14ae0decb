using System.Security.Cryptography.X509Certificates;

namespace SpNet;

/// <summary>Describes a pipe (one connection to one peer) that was added to or removed from a socket.</summary>
public sealed class PipeEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    public PipeEventArgs(uint pipeId, string remoteAddress, string endpointUrl)
        : this(pipeId, remoteAddress, endpointUrl, remoteCertificate: null)
    {
    }

    /// <summary>Creates the event data of a pipe whose peer presented <paramref name="remoteCertificate"/>.</summary>
    public PipeEventArgs(uint pipeId, string remoteAddress, string endpointUrl, X509Certificate2? remoteCertificate)
    {
        PipeId = pipeId;
        RemoteAddress = remoteAddress;
        EndpointUrl = endpointUrl;
        RemoteCertificate = remoteCertificate;
    }

    /// <summary>The pipe's id: 31 bits, non-zero, unique in the process (as NNG's).</summary>
    public uint PipeId { get; }

    /// <summary>The peer's address, e.g. <c>tcp://127.0.0.1:40112</c>.</summary>
    public string RemoteAddress { get; }

    /// <summary>The URL of the dialer or listener that made the pipe.</summary>
    public string EndpointUrl { get; }

    /// <summary>
    /// The certificate the peer presented in the TLS handshake of a <c>tls+tcp://</c> pipe, so a listener can tell who
    /// is connected; null for other transports and for a peer that sent none (a listener asks for one only with
    /// <see cref="TlsOptions.ClientAuth"/>). The handshake has already checked it as <see cref="Socket.Tls"/> says (its
    /// chain, unless <see cref="TlsOptions.InsecureSkipVerify"/>). The pipe's own copy: keep it, do not dispose it.
    /// </summary>
    public X509Certificate2? RemoteCertificate { get; }
}
