using static SpNet.Cli.Tests.Parsing;

namespace SpNet.Cli.Tests;

public class ArgumentParserTests
{
    private static string Error(params string[] args)
    {
        var parser = new ArgumentParser(Stream.Null);
        return Assert.Throws<CatUsageException>(() => parser.Parse(args)).Message;
    }

    [Theory]
    [InlineData("--req0", CatProtocol.Req0)]
    [InlineData("--req", CatProtocol.Req0)]
    [InlineData("--rep0", CatProtocol.Rep0)]
    [InlineData("--rep", CatProtocol.Rep0)]
    [InlineData("--pub", CatProtocol.Pub0)]
    [InlineData("--sub", CatProtocol.Sub0)]
    [InlineData("--sub0", CatProtocol.Sub0)]
    [InlineData("--push", CatProtocol.Push0)]
    [InlineData("--pull", CatProtocol.Pull0)]
    [InlineData("--pair0", CatProtocol.Pair0)]
    [InlineData("--pair1", CatProtocol.Pair1)]
    [InlineData("--surveyor", CatProtocol.Surveyor0)]
    [InlineData("--bus", CatProtocol.Bus0)]
    [InlineData("--bus0", CatProtocol.Bus0)]
    [InlineData("--star", CatProtocol.Star)]
    public void Protocol_names_and_aliases(string flag, CatProtocol expected) => Assert.Equal(expected, Parse(flag).Protocol);

    [Fact]
    public void Pair_without_version_is_pair1_as_in_nngcats_source()
    {
        CatOptions options = Parse("--pair", "--dial", "tcp://127.0.0.1:1");
        Assert.True(options.PairAlias);
        CatApp.Validate(options);
        Assert.Equal(CatProtocol.Pair1, options.Protocol);
    }

    [Fact]
    public void Pair_with_compat_is_pair0()
    {
        CatOptions options = Parse("--pair", "--compat", "--dial", "tcp://127.0.0.1:1");
        CatApp.Validate(options);
        Assert.Equal(CatProtocol.Pair0, options.Protocol);
    }

    [Theory]
    [InlineData("--dial", "tcp://h:1", false)]
    [InlineData("--connect", "tcp://h:1", false)]
    [InlineData("--listen", "tcp://h:1", true)]
    [InlineData("--bind", "tcp://h:1", true)]
    [InlineData("--dia", "tcp://h:1", false)]
    [InlineData("--li", "tcp://h:1", true)]
    public void Address_aliases_and_prefixes(string flag, string url, bool listen)
    {
        CatOptions options = Parse(flag, url);
        Assert.Equal(new CatAddress(listen, url), Assert.Single(options.Addresses));
    }

    [Theory]
    [InlineData("--data=hello")]
    [InlineData("--data:hello")]
    [InlineData("--data", "hello")]
    [InlineData("--da=hello")]
    [InlineData("-Dhello")]
    [InlineData("-D", "hello")]
    public void Value_forms(params string[] args) => Assert.Equal("hello"u8.ToArray(), Parse(args).Data);

    [Fact]
    public void Equals_value_may_contain_separators() =>
        Assert.Equal("tcp://127.0.0.1:5", Parse("--dial=tcp://127.0.0.1:5").Addresses[0].Url);

    [Fact]
    public void Addresses_and_topics_repeat_in_order()
    {
        CatOptions options = Parse("--listen", "tcp://a:1", "--dial", "tcp://b:2", "--subscribe", "x", "--subscribe=y");
        Assert.Equal([new CatAddress(true, "tcp://a:1"), new CatAddress(false, "tcp://b:2")], options.Addresses);
        Assert.Equal(["x", "y"], options.Subscriptions);
    }

    [Fact]
    public void Local_shortcuts_build_tcp_urls()
    {
        CatOptions options = Parse("-L", "5555", "--connect-local=6666");
        Assert.Equal([new CatAddress(true, "tcp://127.0.0.1:5555"), new CatAddress(false, "tcp://127.0.0.1:6666")], options.Addresses);
    }

    [Fact]
    public void Numbers_and_times()
    {
        CatOptions options = Parse("-C", "3", "-i", "2", "-d1", "--recv-timeout", "4", "--send-t=5", "-Z", "0");
        Assert.Equal(3, options.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Interval);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Delay);
        Assert.Equal(TimeSpan.FromSeconds(4), options.ReceiveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.SendTimeout);
        Assert.Equal(int.MaxValue, options.ReceiveMaxSize);
    }

    [Theory]
    [InlineData("0.1", 100)]
    [InlineData(".25", 250)]
    [InlineData("1.5", 1500)]
    [InlineData("2.", 2000)]
    [InlineData("0.0015", 1)]
    [InlineData("86400", 86_400_000)]
    public void Fractional_seconds_extension(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ArgumentParser.ParseSeconds(text));

    [Theory]
    [InlineData("", "Empty integer argument.")]
    [InlineData("x", "Integer argument expected.")]
    [InlineData("-1", "Integer argument expected.")]
    [InlineData(".", "Integer argument expected.")]
    [InlineData("1.x", "Integer argument expected.")]
    [InlineData("86401", "Integer argument too large.")]
    [InlineData("86400.5", "Integer argument too large.")]
    public void Bad_times(string text, string message) =>
        Assert.Equal(message, Assert.Throws<CatUsageException>(() => ArgumentParser.ParseSeconds(text)).Message);

    [Theory]
    [InlineData("--ascii", OutputFormat.Ascii)]
    [InlineData("-A", OutputFormat.Ascii)]
    [InlineData("-Q", OutputFormat.Quoted)]
    [InlineData("--quoted", OutputFormat.Quoted)]
    [InlineData("--hex", OutputFormat.Hex)]
    [InlineData("--msgpack", OutputFormat.MsgPack)]
    [InlineData("--raw", OutputFormat.Raw)]
    [InlineData("--format=no", OutputFormat.No)]
    [InlineData("--format=msgpack", OutputFormat.MsgPack)]
    [InlineData("--form:hex", OutputFormat.Hex)]
    public void Formats(string flag, OutputFormat expected) => Assert.Equal(expected, Parse(flag).Format);

    [Fact]
    public void Last_of_verbose_and_silent_wins()
    {
        Assert.True(Parse("-q", "-v").Verbose);
        Assert.False(Parse("--verbose", "--silent").Verbose);
    }

    [Fact]
    public void Parsing_stops_at_a_non_option_or_lone_dash()
    {
        Assert.Empty(Parse("foo", "--dial", "tcp://a:1").Addresses);
        Assert.Empty(Parse("-", "--dial", "tcp://a:1").Addresses);
    }

    [Fact]
    public void Help_and_version_stop_parsing()
    {
        Assert.Equal(CatAction.Help, new ArgumentParser(Stream.Null).Parse(["--help", "--bogus"]));
        Assert.Equal(CatAction.Help, new ArgumentParser(Stream.Null).Parse(["-h"]));
        Assert.Equal(CatAction.Version, new ArgumentParser(Stream.Null).Parse(["-V"]));
        Assert.Equal(CatAction.Version, new ArgumentParser(Stream.Null).Parse(["--vers"]));
    }

    [Fact]
    public void File_dash_reads_stdin()
    {
        using var stdin = new MemoryStream([1, 2, 3]);
        var parser = new ArgumentParser(stdin);
        parser.Parse(["-F", "-"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, parser.Options.Data);
    }

    [Fact]
    public void File_is_read_as_bytes()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0, 255, 10]);
            Assert.Equal(new byte[] { 0, 255, 10 }, Parse("--file", path).Data);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Messages captured from nngcat 1.5.2 with the same arguments.
    [Theory]
    [InlineData("Option --foo is invalid.", "--foo")]
    [InlineData("Option --re is ambiguous (specify in full).", "--re")]
    [InlineData("Option --d is ambiguous (specify in full).", "--d", "x")]
    [InlineData("Option --conn is ambiguous (specify in full).", "--conn", "x")]
    [InlineData("Option --pai is ambiguous (specify in full).", "--pai")]
    [InlineData("Option -- is ambiguous (specify in full).", "--", "--req")]
    [InlineData("Option --data requires argument.", "--data")]
    [InlineData("Option -x requires argument.", "-x")]
    [InlineData("Option -vq is invalid.", "-vq")]
    [InlineData("Option -y is invalid.", "-y")]
    [InlineData("Option --verbose=1 is invalid.", "--verbose=1")]
    [InlineData("Invalid format specified.", "--format=bogus")]
    [InlineData("Format may be specified only once.", "--hex", "--ascii")]
    [InlineData("Data (--file, --data) may be specified only once.", "-D", "a", "-F", "b")]
    [InlineData("Only one protocol may be specified.", "--req", "--rep")]
    [InlineData("Integer argument expected.", "--count", "x")]
    [InlineData("Empty integer argument.", "--count=")]
    [InlineData("Integer argument too large.", "-i", "90000")]
    [InlineData("Cannot open file /nonexistent/x: No such file or directory", "--file", "/nonexistent/x")]
    public void Errors_match_nngcat(string message, params string[] args) => Assert.Equal(message, Error(args));
}
