namespace SpNet.Cli.Tests.Compare;

/// <summary>Which parts of a run an allow-listed case may show differently from nngcat.</summary>
[Flags]
internal enum Differs
{
    None = 0,
    Stdout = 1,
    Stderr = 2,
    ExitCode = 4,
}

/// <summary>A deliberate difference from nngcat 1.5.2, with the reason (the README's spcat section documents them).</summary>
internal sealed record Allowance(Differs Parts, string Reason);

/// <summary>
/// Argument sets that need no network peer (errors, help, version, listeners that time out, dials to a closed
/// port), run through nngcat and spcat. Placeholders: {FILE} a readable file holding "hi\n", {DIR} a directory,
/// {PORT} a loopback port nothing listens on (fresh per case), {IPC} a fresh socket-file path.
/// </summary>
internal static class NngcatCases
{
    public static readonly string[][] All =
    [
        // help and version: exit codes (1 for --help) and where the text goes
        ["--help"], ["-h"], ["--help", "--req0"], ["--req0", "--rep0", "--help"], ["--version"], ["-V"], ["--vers"],
        ["--bogus", "--version"], ["--version", "--bogus"],
        // option syntax: unknown, ambiguous, prefixes, values after '=', ':' or the next argument
        ["--bogus"], ["-z"], ["-vq"], ["--verbose=1"], ["--dial"], ["-D"], ["-C"], ["--"], ["-"], ["-", "--bogus"],
        ["--req0", "-", "--bogus"], ["x", "--bogus"], ["--he"], ["--h"], ["--re", "--dial=tcp://127.0.0.1:{PORT}"],
        ["--pu"], ["--pa"], ["--co"], ["--con"], ["--conn", "tcp://127.0.0.1:{PORT}"], ["--b"], ["--bi", "x"], ["--c"],
        ["--d"], ["--f"], ["--r"], ["--rec"], ["--recv"], ["--s"], ["--se"], ["--v"], ["--ver"], ["--i"], ["--in"],
        ["--k"], ["--z"], ["--a"], ["--as"], ["--x"], ["--l"], ["-Dx", "-x"],
        ["--da", "x"], ["--si"], ["--q"], ["--qu"], ["--m"], ["--recv-m", "5"], ["--fo", "ascii"], ["--fi", "{FILE}"],
        ["--ke", "{FILE}"], ["--ca", "{FILE}"], ["--ce", "{FILE}"], ["--di", "tcp://127.0.0.1:{PORT}"],
        ["--req0", "--dial", "tcp://127.0.0.1:{PORT}", "-Dhi"],
        ["--req0", "--dial=tcp://127.0.0.1:{PORT}", "--data:hi"],
        ["--req0", "--dial:tcp://127.0.0.1:{PORT}", "-D", "hi"],
        ["--req0", "-l{PORT}", "-D", "hi"], ["--req0", "-l", "{PORT}", "-D", "hi"], ["--req0", "--connect-local={PORT}", "-Dhi"],
        ["--req", "--connect", "tcp://127.0.0.1:{PORT}", "-Dx"], ["--rep", "--dial", "tcp://127.0.0.1:{PORT}"],
        ["--pus", "--dial", "tcp://127.0.0.1:{PORT}", "-Dx"], ["--pul", "--dial", "tcp://127.0.0.1:{PORT}"],
        ["--surv", "--dial", "tcp://127.0.0.1:{PORT}", "-Dx"], ["--resp", "--dial", "tcp://127.0.0.1:{PORT}"],
        ["--sub", "--dial", "tcp://127.0.0.1:{PORT}"], ["--bus", "--dial", "tcp://127.0.0.1:{PORT}"],
        ["--pair0", "--dial", "tcp://127.0.0.1:{PORT}"], ["--pair1", "--dial", "tcp://127.0.0.1:{PORT}"],
        // integers and seconds
        ["--count", "abc"], ["--count", ""], ["--count", "2147483648"], ["--count", "4294967297", "--req0"],
        ["--count", "21474836470"], ["--count", "2147483647", "--req0"], ["-Z", "2147483648"], ["-Z", "abc"],
        ["-Z", "0", "--req0"], ["--req0", "-l", "65536", "-Dx"], ["--req0", "-l", "65537", "-Dx"], ["--req0", "-l", "abc"],
        ["--req0", "-l", ""], ["--req0", "-l", "-1"], ["-d", "86401"], ["-d", "86400", "--req0"], ["-i", "-1"],
        ["--send-timeout", "x"], ["--recv-timeout", "99999"], ["-d", "1.5"], ["-i", "0.5", "--req0"], ["--recv-timeout", "1.25"],
        // protocol and option consistency, in nngcat's order
        ["--req0"], ["--dial", "tcp://127.0.0.1:{PORT}"], ["--pair0", "--pair1"], ["--sub", "--sub0"],
        ["--pub0", "--sub0", "--dial=tcp://127.0.0.1:{PORT}"], ["--pair", "--dial", "tcp://127.0.0.1:{PORT}"],
        ["--compat", "--async", "--dial", "tcp://127.0.0.1:{PORT}"], ["--compat", "--count", "1", "--dial", "x"],
        ["--compat", "--pair1", "--dial", "x"], ["--compat", "--pair0", "--dial", "x", "-i", "1"],
        ["--compat", "--pair", "--dial", "x", "-i", "1"], ["--pair1", "--dial", "x", "-i", "1"], ["--bus0", "--dial", "x", "-i", "1"],
        ["--req0", "--dial", "x", "--subscribe", "a"], ["--sub0", "--dial", "x", "-Dx"], ["--sub0", "--dial", "x", "-i", "1"],
        ["--pull0", "--dial", "x", "-F", "{FILE}"], ["--push0", "--dial", "x", "-A"], ["--push0", "--dial", "x", "--format", "no"],
        ["--pub0", "--dial", "x"], ["--req0", "--dial", "x"], ["--surveyor0", "--dial", "x"], ["--rep0", "--dial", "x", "-i", "1"],
        ["--respondent0", "--dial", "x", "-i", "1"], ["--format", "bogus"], ["--format", "ascii", "-A"], ["--ascii", "--raw"],
        ["--hex", "--msgpack"], ["-Q", "--format=quoted"],
        // data and files (read while parsing, so their errors come in command-line order)
        ["-D", "a", "-D", "b"], ["-D", "a", "-F", "{FILE}"], ["-F", "/nonexistent/spcat"], ["-F", "{DIR}"],
        ["-F", "{FILE}", "-F", "{FILE}"], ["--file", "-", "--data", "x"], ["--file=-", "--req0"],
        ["--cacert", "/nonexistent/spcat"], ["--cacert", "{FILE}", "--cacert", "{FILE}"], ["--key", "{FILE}", "--key", "{FILE}"],
        ["--cert", "{FILE}", "-E", "{FILE}"], ["--socket-name", "foo", "--req0"],
        // addresses: which failures nngcat reports at create and which when starting
        ["--sub0", "--dial=x"], ["--rep0", "--listen", "tcp://127.0.0.1:99999"], ["--rep0", "--listen", "tcp://nosuchhost.invalid:5555"],
        ["--rep0", "--listen", "foo://bar"], ["--rep0", "--listen", "zt://x"], ["--req0", "--dial", "ws://", "-Dx"],
        ["--req0", "--dial", "tcp://:5", "-Dx"], ["--req0", "--dial", "tcp://127.0.0.1", "-Dx"],
        ["--req0", "--dial", "tcp://8.8.8.8:65536", "-Dx"], ["--req0", "--dial", "tcp://nosuch.invalid:1", "-Dx"],
        ["--rep0", "--listen", "ipc://"], ["--req0", "--dial", "ipc://", "-Dx"], ["--req0", "--dial", "inproc://nobody", "-Dx"],
        ["--req0", "--dial", "ws://127.0.0.1:{PORT}/", "-Dx"], ["--req0", "--dial", "tls+tcp://127.0.0.1:{PORT}", "-Dx"],
        ["--rep0", "--listen", "ws://nosuch.invalid:5555/x"], ["--req0", "--dial", "ws://nosuch.invalid:5555/x", "-Dx"],
        ["--req0", "-x", "/nonexistent/spcat/sock", "-Dx"], ["--rep0", "-X", "/nonexistent/spcat/sock"],
        ["--req0", "--dial", "tcp://127.0.0.1:5/path", "-Dx"], ["--req0", "--dial", "tcp://127.0.0.1:0", "-Dx"],
        ["--zt-home", "{DIR}", "--req0", "--dial", "tcp://127.0.0.1:{PORT}", "-Dx"],
        ["--req0", "--dial", "tcp://127.0.0.1:{PORT}", "-Dx", "--insecure"],
        ["--star", "--dial", "tcp://127.0.0.1:{PORT}"], ["--st"], ["--stats", "--version"],
        ["--pipe-events", "--version"], ["--tcp-keepalive", "--version"], ["--tcp-user-timeout", "1", "--version"], ["--t"],
        // runs that end by themselves with no peer: verbose lines, timeouts
        ["--pull0", "--listen", "tcp://127.0.0.1:{PORT}", "--recv-timeout", "1", "-v"],
        ["--pull0", "-L{PORT}", "--recv-timeout", "1", "--verbose", "--silent"],
        ["--pull0", "--listen", "tcp://*:{PORT}", "--recv-timeout=1", "-v"],
        ["--sub0", "--listen", "ipc://{IPC}", "--recv-timeout", "1", "-v", "--subscribe", "a", "--subscribe=b"],
        ["--pair0", "--listen", "inproc://spcat", "--recv-timeout", "1", "-v"],
        ["--push0", "--listen", "tcp://127.0.0.1:{PORT}", "--send-timeout", "1", "-D", "x"],
        ["--push0", "--dial", "tcp://127.0.0.1:{PORT}", "--async", "--send-timeout", "1", "-Dx", "-v"],
        ["--req0", "--dial", "tcp://127.0.0.1:{PORT}", "--compat", "--send-timeout", "1", "-Dx"],
        ["--surveyor0", "--listen", "tcp://127.0.0.1:{PORT}", "-Dx", "--recv-timeout", "1"],
        ["--rep0", "--listen", "tcp://127.0.0.1:{PORT}", "--recv-timeout", "1", "-D", "x"],
        ["--respondent0", "--listen", "tcp://127.0.0.1:{PORT}", "--recv-timeout", "1", "-A"],
    ];

    /// <summary>The deliberate differences, by case (arguments joined with spaces, placeholders unexpanded).</summary>
    public static readonly Dictionary<string, Allowance> Allowed = new()
    {
        ["--help"] = new(Differs.Stdout, "spcat prints its own usage (names spcat, lists --bus0, --star, --stats, --pipe-events, the --tcp-* options, fractional seconds); exit 1 and empty stderr as nngcat"),
        ["-h"] = new(Differs.Stdout, "spcat's own usage text, as --help"),
        ["--help --req0"] = new(Differs.Stdout, "spcat's own usage text, as --help"),
        ["--pair --dial tcp://127.0.0.1:{PORT}"] = new(Differs.Stderr, "nngcat 1.5.2 never records --pair (its switch lacks the case: \"No protocol specified.\"); spcat does what nngcat's source and manual mean: PAIR1 (PAIR0 with --compat)"),
        ["--compat --pair --dial x -i 1"] = new(Differs.Stderr, "--pair means PAIR0 under --compat in spcat (see --pair); nngcat says \"No protocol specified.\""),
        ["-d 1.5"] = new(Differs.Stderr, "fractional seconds are an spcat extension; nngcat says \"Integer argument expected.\""),
        ["-i 0.5 --req0"] = new(Differs.Stderr, "fractional seconds are an spcat extension"),
        ["--recv-timeout 1.25"] = new(Differs.Stderr, "fractional seconds are an spcat extension"),
        ["--star --dial tcp://127.0.0.1:{PORT}"] = new(Differs.Stderr, "--star (mangos STAR) is an spcat extension; nngcat: \"Option --star is invalid.\""),
        ["--st"] = new(Differs.Stderr, "--star and --stats are spcat extensions, so --st is ambiguous rather than invalid"),
        ["--stats --version"] = new(Differs.Stderr | Differs.Stdout | Differs.ExitCode, "--stats is an spcat extension; nngcat: \"Option --stats is invalid.\""),
        ["--pipe-events --version"] = new(Differs.Stderr | Differs.Stdout | Differs.ExitCode, "--pipe-events is an spcat extension; nngcat: \"Option --pipe-events is invalid.\""),
        ["--tcp-keepalive --version"] = new(Differs.Stderr | Differs.Stdout | Differs.ExitCode, "--tcp-keepalive (NNG's tcp-keepalive option, which nngcat cannot set) is an spcat extension; nngcat: \"Option --tcp-keepalive is invalid.\""),
        ["--tcp-user-timeout 1 --version"] = new(Differs.Stderr | Differs.Stdout | Differs.ExitCode, "--tcp-user-timeout is an spcat extension; nngcat: \"Option --tcp-user-timeout is invalid.\""),
        ["--t"] = new(Differs.Stderr, "the --tcp-* options are spcat extensions, so --t is ambiguous rather than invalid"),
        ["--rep0 -X /nonexistent/spcat/sock"] = new(Differs.Stderr, "SpNet's ipc listener reports a missing directory as Connection refused, NNG as Entry not found (library, left to the transport)"),
        ["--req0 --dial tcp://127.0.0.1:5/path -Dx"] = new(Differs.Stderr, "NNG refuses a tcp URL with a path at create; SpNet ignores the path (library, left to the transport)"),
        ["--req0 --dial tcp://127.0.0.1:0 -Dx"] = new(Differs.Stderr, "SpNet refuses to dial port 0 (Address invalid); NNG tries and gets Connection refused"),
    };

    public static string NameOf(IEnumerable<string> args) => string.Join(' ', args);
}
