namespace SpNet.Discovery;

/// <summary>
/// A request, broadcast, gather or tunnel named a service that has no live member in the current discovery snapshot.
/// Thrown at once rather than after a timeout: waiting cannot help until a member registers. <see cref="SpNetException.Error"/>
/// is <see cref="SpError.Unreachable"/> (NNG_EUNREACHABLE).
/// </summary>
public sealed class ServiceUnavailableException : SpNetException
{
    /// <summary>Creates the exception for <paramref name="service"/>.</summary>
    public ServiceUnavailableException(string service)
        : base(SpError.Unreachable, $"no live member of service '{service}'") => Service = service;

    /// <summary>Creates the exception with an empty service name.</summary>
    public ServiceUnavailableException() : this("") { }

    /// <summary>Creates the exception with a custom message.</summary>
    public ServiceUnavailableException(string message, Exception innerException)
        : base(SpError.Unreachable, message, innerException) => Service = "";

    /// <summary>The service that had no live member.</summary>
    public string Service { get; }
}
