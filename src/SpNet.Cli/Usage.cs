namespace SpNet.Cli;

/// <summary>The text printed by <c>spcat --help</c>.</summary>
internal static class Usage
{
    public const string Text =
        """
        Usage: spcat <protocol> <address>... [<format>] [<option>...] [<source>]   (nngcat 1.5.2's command line)
               spcat demo [--messages N] [--round-trips N] [--size BYTES]   every pattern over inproc and tcp, checked
               spcat discovery serve|register|watch ...   a discovery registry, a member, a watcher (discovery --help)
               spcat service host|request|broadcast|gather|publish|subscribe|tunnel ...   services by name (service --help)
               spcat version         spcat's version, the SpNet library's and the .NET runtime's

        Protocol (exactly one):
          --req0, --req         send a request, print the reply
          --rep0, --rep         print requests, answer each with the source data
          --pub0, --pub         publish the source data
          --sub0, --sub         print what is published
          --push0, --push       push the source data
          --pull0, --pull       print what is pushed
          --pair1, --pair       send the source data (if any) and print what arrives
          --pair0               the same over PAIR v0 (--pair means pair0 with --compat)
          --bus0, --bus         the same over BUS (to every connected peer)
          --star                the same over mangos' STAR (spcat extension)
          --surveyor0, --surveyor  send a survey, print the answers until the survey time (1 s)
          --respondent0, --respondent  print surveys, answer each with the source data

        Address (one or more, in order):
          --dial URL            also --connect URL; waits for the first connection
          --listen URL          also --bind URL
          --connect-local PORT  also -l PORT: dial tcp://127.0.0.1:PORT
          --bind-local PORT     also -L PORT: listen on tcp://127.0.0.1:PORT
          --connect-ipc PATH    also -x PATH: dial ipc:///PATH
          --bind-ipc PATH       also -X PATH: listen on ipc:///PATH
          URLs: tcp:// (tcp4://, tcp6://)        tcp://127.0.0.1:5555, tcp://[::1]:5555, tcp://*:5555 to listen
                ipc:// (unix://)                ipc:///tmp/sock: a Unix domain socket (a named pipe on Windows)
                abstract://                     abstract://name: Linux abstract namespace
                inproc://                       inproc://name: within this process
                ws:// (ws4://, ws6://)          ws://127.0.0.1:8080/path: WebSocket
                wss:// (wss4://, wss6://)       WebSocket over TLS (--cert, --key, --cacert)
                tls+tcp:// (tls+tcp4://, tls+tcp6://)   TLS over tcp (--cert, --key, --cacert)

        TLS (tls+tcp://, wss://):
          --cert FILE, -E FILE  own certificate (PEM): required to listen
          --key FILE            its private key (PEM; default: in the --cert file)
          --cacert FILE         CA certificates (PEM) the peer must chain to (default: system store)
          --insecure, -k        do not verify the peer's certificate

        Format of printed messages (at most one; default prints nothing):
          --format no|ascii|hex|msgpack|quoted|raw
          --ascii, -A   --quoted, -Q   --hex   --msgpack   --raw

        Options:
          --subscribe TOPIC     SUB only, repeatable (default: everything)
          --count N, -C N       stop after N messages (0: no limit)
          --interval S, -i S    repeat the send every S seconds
          --delay S, -d S       wait S seconds before the first send
          --recv-timeout S      give up receiving after S seconds
          --send-timeout S      give up sending after S seconds
          --recv-maxsz N, -Z N  largest message accepted (0: no limit)
          --async               dial in the background
          --compat              nanocat compatibility
          --verbose, -v         report addresses; --silent, -q undoes it
          --version, -V         print the NNG version spcat is compatible with (spcat version: its own)
          --stats               at exit, print pipe/message counters on stderr ("stats: ..." lines)
          --pipe-events         print "pipe: added ..." / "pipe: removed ..." on stderr as pipes come and go

        TCP (tcp://, tls+tcp://, ws://, wss://; spcat extensions, off by default as in nngcat):
          --tcp-keepalive       turn on TCP keepalive (NNG's tcp-keepalive option)
          --tcp-keepalive-time S      idle seconds before the first probe (whole seconds; implies --tcp-keepalive)
          --tcp-keepalive-interval S  seconds between unanswered probes (whole seconds; implies --tcp-keepalive)
          --tcp-keepalive-count N     unanswered probes before the connection drops (implies --tcp-keepalive)
          --tcp-user-timeout S  drop a connection whose data stays unacknowledged S seconds (Linux only)
          Seconds may be fractional (0.25) in spcat.

        Source of sent data (at most one):
          --data DATA, -D DATA
          --file FILE, -F FILE  (- reads standard input)

        """;
}
