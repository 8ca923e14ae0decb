using SpNet.TestKit;

namespace SpNet.Interop.Tests;

/// <summary>
/// One temp directory per test run holding ipc socket paths and the PEM files of a throwaway CA (RSA, CN=localhost with
/// SAN DNS:localhost, as Debian's mbedTLS-built nngcat accepts); deleted when the process exits.
/// </summary>
internal static class InteropFiles
{
    private static readonly Lazy<string> s_directory = new(CreateDirectory);
    private static readonly Lazy<TestCertificates> s_certificates = new(CreateCertificates);

    /// <summary>The CA and certificates written to <see cref="CaPem"/>, <see cref="ServerPem"/>, <see cref="ServerKey"/>.</summary>
    public static TestCertificates Certificates => s_certificates.Value;

    public static string CaPem => Path.Combine(s_directory.Value, "ca.pem");

    public static string ServerPem => Path.Combine(s_directory.Value, "srv.pem");

    public static string ServerKey => Path.Combine(s_directory.Value, "srv.key");

    /// <summary>A fresh socket path (under 100 bytes).</summary>
    public static string IpcPath() => Path.Combine(s_directory.Value, $"{Guid.NewGuid():N}.sock");

    private static string CreateDirectory()
    {
        string directory = Directory.CreateTempSubdirectory("spnet-interop-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A peer still holds a file: the OS temp cleaner will take it.
            }
        };
        return directory;
    }

    private static TestCertificates CreateCertificates()
    {
        var certificates = TestCertificates.Create("SpNet Interop CA");
        certificates.WritePem(s_directory.Value);
        return certificates;
    }
}
