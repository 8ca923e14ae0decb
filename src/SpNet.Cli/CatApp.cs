using System.Text;

namespace SpNet.Cli;

/// <summary>
/// spcat: opens one socket as the command line says, dials and listens, then sends and prints messages as nngcat
/// 1.5.2 does. Standard streams are injected so tests run it in-process. Not thread-safe: one run per instance.
/// </summary>
public sealed partial class CatApp
{
    /// <summary>How long senders wait after their last message so queues drain (nngcat waits 200 ms).</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(200);

    private readonly Stream _stdout;
    private readonly TextWriter _stderr;
    private readonly Stream _stdin;
    private readonly Lock _stderrGate = new();
    private CatOptions _options = new();

    /// <summary>Creates the app over the given streams; <paramref name="stdout"/> receives binary output.</summary>
    public CatApp(Stream stdout, TextWriter stderr, Stream stdin)
    {
        _stdout = stdout ?? throw new ArgumentNullException(nameof(stdout));
        _stderr = stderr ?? throw new ArgumentNullException(nameof(stderr));
        _stdin = stdin ?? throw new ArgumentNullException(nameof(stdin));
    }

    /// <summary>The NNG version spcat mimics, printed by --version.</summary>
    public const string CompatibleVersion = "1.5.2";

    /// <summary>
    /// Runs spcat with <paramref name="args"/> and returns the process exit code: 0 on success, 1 on any error
    /// (message on standard error) and after --help, as nngcat.
    /// </summary>
    /// <param name="args">The command line, without the program name.</param>
    /// <param name="cancellationToken">Stops a running loop; the run then ends with <see cref="OperationCanceledException"/>.</param>
    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        try
        {
            var parser = new ArgumentParser(_stdin);
            CatAction action = parser.Parse(args);
            if (action == CatAction.Help)
            {
                WriteText(Usage.Text);
                return 1;
            }
            if (action == CatAction.Version)
            {
                WriteText(CompatibleVersion + "\n");
                return 0;
            }
            _options = parser.Options;
            Validate(_options);
            await RunSocketAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (CatUsageException ex)
        {
            return Fail(ex.Message);
        }
        catch (SpNetException ex)
        {
            // Anything the loops do not name (e.g. a socket option the library refuses).
            return Fail($"{ErrorText.Of(ex)}: {ex.Message}");
        }
    }

    private int Fail(string message)
    {
        // One line, always: scripts read the cause from the last line of stderr.
        WriteError(message.ReplaceLineEndings(" ") + "\n");
        return 1;
    }

    private void WriteText(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        _stdout.Write(bytes, 0, bytes.Length);
        _stdout.Flush();
    }
}
