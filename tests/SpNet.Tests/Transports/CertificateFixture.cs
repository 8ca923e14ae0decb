using SpNet.TestKit;

namespace SpNet.Tests.Transports;

/// <summary>One throwaway CA per test class (RSA key generation is slow), shared by the class's tests.</summary>
public sealed class CertificateFixture : IDisposable
{
    /// <summary>The CA with its server and client certificates.</summary>
    public TestCertificates Value { get; } = TestCertificates.Create();

    /// <inheritdoc />
    public void Dispose() => Value.Dispose();
}
