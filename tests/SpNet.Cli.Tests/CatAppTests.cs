using System.Net;
using System.Text;

namespace SpNet.Cli.Tests;

public class CatAppTests
{
    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string AfterListening(string text) => text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..];

    [Fact]
    public async Task Version_prints_nng_version()
    {
        CatRun run = await CatRun.CompleteAsync("--version");
        Assert.Equal(0, await run.Task);
        Assert.Equal("1.5.2\n", run.Stdout.Text);
    }

    [Fact]
    public async Task Help_goes_to_stdout_and_exits_1()
    {
        CatRun run = await CatRun.CompleteAsync("-h");
        Assert.Equal(1, await run.Task);
        Assert.StartsWith("Usage: spcat", run.Stdout.Text, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr.ToString());
    }

    // stderr text and exit code captured from nngcat 1.5.2 with the same arguments.
    [Theory]
    [InlineData("No address specified.", "--req0")]
    [InlineData("No address specified.", "foo", "--req")]
    [InlineData("No protocol specified.", "--dial", "tcp://127.0.0.1:1")]
    [InlineData("Protocol requires either --file or --data.", "--req0", "--dial", "tcp://127.0.0.1:1")]
    [InlineData("Protocol requires either --file or --data.", "--pub", "--listen", "tcp://127.0.0.1:0")]
    [InlineData("Protocol does not support --format options.", "--pub", "--listen", "tcp://127.0.0.1:0", "--hex", "-D", "x")]
    [InlineData("Protocol does not support --subscribe.", "--pub", "-Dx", "--subscribe", "a", "--dial", "tcp://127.0.0.1:1")]
    [InlineData("Protocol does not support --file or --data.", "--sub", "--listen", "tcp://127.0.0.1:0", "-Dx")]
    [InlineData("Protocol does not support --interval.", "--sub", "--listen", "tcp://127.0.0.1:0", "-i", "1")]
    [InlineData("Protocol does not support --interval.", "--rep", "--listen", "tcp://127.0.0.1:0", "-i", "1")]
    [InlineData("Option --interval requires either --file or --data.", "--pair0", "--listen", "tcp://127.0.0.1:0", "-i", "1")]
    [InlineData("Protocol does not support --compat.", "--pair1", "--listen", "tcp://127.0.0.1:0", "--compat")]
    [InlineData("Options --async and --compat are incompatible.", "--async", "--compat", "--dial", "tcp://127.0.0.1:1")]
    [InlineData("Options --count and --compat are incompatible.", "--compat", "-C", "1", "--req", "--dial", "tcp://127.0.0.1:1")]
    [InlineData("Unable to dial on tcp://127.0.0.1:1: Connection refused", "--req", "--dial=tcp://127.0.0.1:1", "-Dx")]
    [InlineData("Unable to dial on tcp://127.0.0.1:1: Connection refused", "--push", "--dial:tcp://127.0.0.1:1", "-Dx")]
    [InlineData("Unable to create dialer for bad: Invalid argument", "--req", "--dial", "bad", "-Dx")]
    [InlineData("Unable to create listener for tcp://127.0.0.1:99999: Address invalid", "--req", "--listen", "tcp://127.0.0.1:99999", "-Dx")]
    [InlineData("Unable to listen on tcp://1.2.3.4:5555: Address invalid", "--req", "--listen", "tcp://1.2.3.4:5555", "-Dx")]
    [InlineData("Unable to create dialer for foo://1.2.3.4:5555: Not supported", "--req", "--dial", "foo://1.2.3.4:5555", "-Dx")]
    public async Task Errors_match_nngcat(string message, params string[] args)
    {
        CatRun run = await CatRun.CompleteAsync(args);
        Assert.Equal(1, await run.Task);
        Assert.Equal(message + "\n", run.Stderr.ToString());
        Assert.Equal("", run.Stdout.Text);
    }

    [Fact]
    public async Task Dial_to_closed_port_names_the_url()
    {
        string url = $"tcp://127.0.0.1:{ClosedPort()}";
        CatRun run = await CatRun.CompleteAsync("--req", "--dial", url, "-D", "x");
        Assert.Equal(1, await run.Task);
        Assert.Equal($"Unable to dial on {url}: Connection refused\n", run.Stderr.ToString());
    }

    [Fact]
    public async Task Listen_on_address_in_use_fails()
    {
        var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            string url = $"tcp://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
            CatRun run = await CatRun.CompleteAsync("--pull", "--listen", url);
            Assert.Equal(1, await run.Task);
            Assert.Equal($"Unable to listen on {url}: Address in use\n", run.Stderr.ToString());
        }
        finally
        {
            holder.Stop();
        }
    }

    [Theory]
    [InlineData("Receive error: Timed out\n", "--rep", "--listen", "tcp://127.0.0.1:0", "-D", "x", "--recv-timeout", "0.2")] // a REP with data waits for a request
    [InlineData("Send error: Timed out\n", "--push", "--listen", "tcp://127.0.0.1:0", "-D", "x", "--send-timeout", "0.2")]
    public async Task A_timeout_is_an_error_exit_naming_the_operation(string stderr, params string[] args)
    {
        CatRun run = await CatRun.CompleteAsync(args);
        Assert.Equal(1, await run.Task);
        Assert.Equal(stderr, run.Stderr.ToString());
    }

    [Fact]
    public async Task Surveyor_prints_the_answers_and_ends_with_the_survey_time()
    {
        using var cts = new CancellationTokenSource(CatRun.Limit);
        CatRun surveyor = CatRun.Start(cts.Token, "--surveyor", "--listen", "tcp://127.0.0.1:0", "--verbose", "-D", "ping", "--delay", "1", "-Q");
        string url = await surveyor.ListeningUrlAsync();
        CatRun a = CatRun.Start(cts.Token, "--respondent", "--dial", url, "-D", "pong-a", "-Q");
        CatRun b = CatRun.Start(cts.Token, "--respondent0", "--dial", url, "-D", "pong-b", "-Q");
        Assert.Equal(0, await surveyor.ExitCodeAsync()); // one survey, answers until the 1 s survey time ends it
        string printed = surveyor.Stdout.Text;
        Assert.Contains("\"pong-a\"\n", printed, StringComparison.Ordinal);
        Assert.Contains("\"pong-b\"\n", printed, StringComparison.Ordinal);
        await a.Stdout.WaitForAsync(t => t.Contains("\"ping\"\n", StringComparison.Ordinal), CatRun.Limit);
        await b.Stdout.WaitForAsync(t => t.Contains("\"ping\"\n", StringComparison.Ordinal), CatRun.Limit);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a.ExitCodeAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b.ExitCodeAsync());
    }

    [Fact]
    public async Task Receiver_timeout_is_a_clean_exit()
    {
        CatRun run = await CatRun.CompleteAsync("--pull", "--listen", "tcp://127.0.0.1:0", "--recv-timeout", "0.2", "-Q");
        Assert.Equal(0, await run.Task);
        Assert.Equal("", run.Stdout.Text);
    }

    [Fact]
    public async Task Req_rep_round_trip()
    {
        CatRun rep = CatRun.Start("--rep", "--listen", "tcp://127.0.0.1:0", "-v", "-D", "pong", "-Q", "-C", "2");
        string url = await rep.ListeningUrlAsync();

        CatRun first = await CatRun.CompleteAsync("--req", "--dial", url, "-D", "ping", "-Q", "-v");
        Assert.Equal(0, await first.Task);
        Assert.Equal($"Connected to: {url}\n\"pong\"\n", first.Stdout.Text);

        CatRun second = await CatRun.CompleteAsync("--req", "--connect", url, "--data=ping2", "--hex");
        Assert.Equal(0, await second.Task);
        Assert.Equal("\"\\x70\\x6f\\x6e\\x67\"\n", second.Stdout.Text);

        Assert.Equal(0, await rep.ExitCodeAsync());
        Assert.Equal("\"ping\"\n\"ping2\"\n", AfterListening(rep.Stdout.Text));
        Assert.Equal("", rep.Stderr.ToString());
    }

    [Fact]
    public async Task Req_repeats_with_count_and_interval()
    {
        CatRun rep = CatRun.Start("--rep", "--listen", "tcp://127.0.0.1:0", "-v", "-D", "pong", "-Q", "-C", "3");
        string url = await rep.ListeningUrlAsync();
        CatRun req = await CatRun.CompleteAsync("--req", "--dial", url, "-D", "ping", "-Q", "-C", "3", "-i", "0.05");
        Assert.Equal(0, await req.Task);
        Assert.Equal("\"pong\"\n\"pong\"\n\"pong\"\n", req.Stdout.Text);
        Assert.Equal(0, await rep.ExitCodeAsync());
    }

    [Fact]
    public async Task Rep_without_data_only_prints()
    {
        CatRun rep = CatRun.Start("--rep", "--listen", "tcp://127.0.0.1:0", "-v", "-A", "-C", "1");
        string url = await rep.ListeningUrlAsync();
        CatRun req = await CatRun.CompleteAsync("--req", "--dial", url, "-D", "hello\n", "-Q", "--recv-timeout", "0.2");
        Assert.Equal(0, await req.Task);
        Assert.Equal("", req.Stdout.Text);
        Assert.Equal(0, await rep.ExitCodeAsync());
        Assert.Equal("hello.", AfterListening(rep.Stdout.Text));
    }

    [Fact]
    public async Task Push_pull_with_count_and_stdin_file()
    {
        CatRun pull = CatRun.Start("--pull0", "--bind", "tcp://127.0.0.1:0", "-v", "--raw", "-C", "3");
        string url = await pull.ListeningUrlAsync();
        CatRun push = CatRun.StartWithStdin(Encoding.ASCII.GetBytes("abc"), "--push0", "--dial", url, "-F", "-", "-C", "3");
        Assert.Equal(0, await push.ExitCodeAsync());
        Assert.Equal(0, await pull.ExitCodeAsync());
        Assert.Equal("abcabcabc", AfterListening(pull.Stdout.Text));
    }

    [Fact]
    public async Task Pub_sub_delivers_subscribed_topics()
    {
        CatRun sub = CatRun.Start("--sub", "--listen", "tcp://127.0.0.1:0", "-v", "-Q", "-C", "2", "--subscribe", "to", "--recv-timeout", "10");
        string url = await sub.ListeningUrlAsync();
        using var stop = new CancellationTokenSource(CatRun.Limit);
        // PUB drops while the subscriber connects, so it repeats (bounded) until SUB has its two messages.
        CatRun pub = CatRun.Start(stop.Token, "--pub", "--dial", url, "-D", "topic", "-i", "0.02", "-C", "500");
        Assert.Equal(0, await sub.ExitCodeAsync());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pub.ExitCodeAsync());
        Assert.Equal("\"topic\"\n\"topic\"\n", AfterListening(sub.Stdout.Text));
    }

    [Fact]
    public async Task Sub_ignores_other_topics()
    {
        CatRun sub = CatRun.Start("--sub", "--listen", "tcp://127.0.0.1:0", "-v", "-Q", "--subscribe", "zzz", "--recv-timeout", "0.5");
        string url = await sub.ListeningUrlAsync();
        CatRun pub = CatRun.Start("--pub", "--dial", url, "-D", "topic", "-i", "0.02", "-C", "10");
        Assert.Equal(0, await pub.ExitCodeAsync());
        Assert.Equal(0, await sub.ExitCodeAsync());
        Assert.Equal("", AfterListening(sub.Stdout.Text));
    }

    [Fact]
    public async Task Pair_sends_and_receives()
    {
        CatRun listener = CatRun.Start("--pair0", "--listen", "tcp://127.0.0.1:0", "-v", "-Q", "-C", "1", "--recv-timeout", "10");
        string url = await listener.ListeningUrlAsync();
        CatRun dialer = await CatRun.CompleteAsync("--pair0", "--dial", url, "-D", "hi", "-Q", "--recv-timeout", "0.2");
        Assert.Equal(0, await dialer.Task);
        Assert.Equal("", dialer.Stderr.ToString());
        Assert.Equal(0, await listener.ExitCodeAsync());
        Assert.Equal("\"hi\"\n", AfterListening(listener.Stdout.Text));
    }

    [Theory]
    [InlineData("--pair", "--pair1")]
    [InlineData("--bus", "--bus0")]
    [InlineData("--star", "--star")]
    public async Task Pair1_bus_and_star_send_and_receive_like_pair(string listenFlag, string dialFlag)
    {
        CatRun listener = CatRun.Start(listenFlag, "--listen", "tcp://127.0.0.1:0", "-v", "-Q", "-C", "1", "--recv-timeout", "10");
        string url = await listener.ListeningUrlAsync();
        CatRun dialer = await CatRun.CompleteAsync(dialFlag, "--dial", url, "-D", "hi", "-Q", "--recv-timeout", "0.2");
        Assert.Equal(0, await dialer.Task);
        Assert.Equal("", dialer.Stderr.ToString());
        Assert.Equal(0, await listener.ExitCodeAsync());
        Assert.Equal("\"hi\"\n", AfterListening(listener.Stdout.Text));
    }

    [Fact]
    public async Task Pair_both_sides_exchange_with_interval()
    {
        CatRun a = CatRun.Start("--pair0", "--listen", "tcp://127.0.0.1:0", "-v", "-Q", "-D", "A", "-i", "0.1", "-C", "2", "--recv-timeout", "5");
        string url = await a.ListeningUrlAsync();
        CatRun b = CatRun.Start("--pair0", "--dial", url, "-Q", "-D", "B", "-i", "0.1", "-C", "2", "--recv-timeout", "5");
        Assert.Equal(0, await b.ExitCodeAsync());
        Assert.Equal(0, await a.ExitCodeAsync());
        // Each side sends twice; what the other prints depends on timing, but only the peer's data can appear.
        Assert.Matches("^(\"A\"\n){1,2}$", b.Stdout.Text);
        Assert.Matches("^(\"B\"\n){0,2}$", AfterListening(a.Stdout.Text));
    }
}
