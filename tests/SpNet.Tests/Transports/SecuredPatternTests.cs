using SpNet.TestKit;

namespace SpNet.Tests.Transports;

/// <summary>Every pattern and a 10 MiB message over each transport that runs TLS (tls+tcp, wss), with a throwaway CA.</summary>
public sealed class SecuredPatternTests(CertificateFixture fixture) : IClassFixture<CertificateFixture>
{
    public static TheoryData<string> Addresses => ["tls+tcp://localhost:0", "wss://localhost:0/sp"];

    public static TheoryData<string, string> AddressesAndPatterns()
    {
        var rows = new TheoryData<string, string>();
        foreach (string address in Addresses)
        {
            foreach (string pattern in TransportPatterns.Names)
            {
                rows.Add(address, pattern);
            }
        }
        return rows;
    }

    [Theory, MemberData(nameof(AddressesAndPatterns))] public Task Pattern(string address, string pattern) => Over(address).RunAsync(pattern);

    [Theory, MemberData(nameof(Addresses))] public Task Ten_MiB_message_arrives_intact(string address) => Over(address).LargeMessageAsync(10 * 1024 * 1024);

    private TransportPatterns Over(string address) =>
        new(() => address, (socket, listens) => socket.Tls = listens ? fixture.Value.ServerOptions() : fixture.Value.ClientOptions());
}
