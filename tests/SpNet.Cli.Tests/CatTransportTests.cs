using SpNet.TestKit;

namespace SpNet.Cli.Tests;

/// <summary>spcat's transport flags: -X/-x (ipc), -L/-l (local tcp), and --cert/--key/--cacert/--insecure over tls+tcp.</summary>
public sealed class CatTransportTests
{
    [Fact]
    public async Task Bind_ipc_and_connect_ipc_talk()
    {
        // nngcat turns -X PATH into ipc:///PATH; an absolute PATH thus gets a harmless extra slash.
        string path = Addresses.IpcPath("cat");
        try
        {
            CatRun pull = CatRun.Start("--pull", "-X", path, "-v", "-Q", "-C", "1");
            Assert.Equal($"ipc:///{path}", await pull.ListeningUrlAsync());
            CatRun push = await CatRun.CompleteAsync("--push", "-x", path, "-D", "over ipc");
            Assert.Equal(0, await push.Task);
            Assert.Equal(0, await pull.ExitCodeAsync());
            Assert.Equal("\"over ipc\"\n", pull.Stdout.Text[pull.Stdout.Text.IndexOf('"', StringComparison.Ordinal)..]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Bind_local_and_connect_local_talk()
    {
        int port = TestNetwork.FreePort();
        CatRun pull = CatRun.Start("--pull", "-L", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-v", "-Q", "-C", "1");
        Assert.Equal($"tcp://127.0.0.1:{port}", await pull.ListeningUrlAsync());
        CatRun push = await CatRun.CompleteAsync("--push", "-l", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-D", "local");
        Assert.Equal(0, await push.Task);
        Assert.Equal(0, await pull.ExitCodeAsync());
    }

    [Fact]
    public async Task Tls_with_cert_key_and_cacert()
    {
        using TempDirectory dir = TempDirectory.Create("spcat-tls-");
        using var certs = TestCertificates.Create();
        certs.WritePem(dir.Path);
        string url = $"tls+tcp://localhost:{TestNetwork.FreePort()}";
        CatRun rep = CatRun.Start("--rep", "--listen", url, "--cert", Path.Combine(dir.Path, "srv.pem"), "--key", Path.Combine(dir.Path, "srv.key"), "-v", "-D", "pong", "-C", "2");
        await rep.ListeningUrlAsync();

        CatRun trusted = await CatRun.CompleteAsync("--req", "--dial", url, "--cacert", Path.Combine(dir.Path, "ca.pem"), "-D", "ping", "-Q");
        Assert.Equal(0, await trusted.Task);
        Assert.Equal("\"pong\"\n", trusted.Stdout.Text);

        CatRun untrusted = await CatRun.CompleteAsync("--req", "--dial", url, "-D", "ping");
        Assert.Equal(1, await untrusted.Task);
        Assert.Equal($"Unable to dial on {url}: Peer could not be authenticated\n", untrusted.Stderr.ToString());

        CatRun insecure = await CatRun.CompleteAsync("--req", "--dial", url, "-k", "-D", "ping", "-Q");
        Assert.Equal(0, await insecure.Task);
        Assert.Equal("\"pong\"\n", insecure.Stdout.Text);
        Assert.Equal(0, await rep.ExitCodeAsync());
    }

    [Fact]
    public async Task Tls_listener_without_cert_fails_clearly()
    {
        CatRun run = await CatRun.CompleteAsync("--pull", "--listen", "tls+tcp://localhost:0");
        Assert.Equal(1, await run.Task);
        Assert.StartsWith("Unable to listen on tls+tcp://localhost:0: Cryptographic error", run.Stderr.ToString(), StringComparison.Ordinal);
    }
}
