using System.Net.Sockets;
using System.Text;

namespace SpNet.Transports.Ipc;

/// <summary>
/// <c>ipc://path</c> (and NNG's alias <c>unix://path</c>): the SP IPC mapping over a Unix domain stream socket, with the
/// type byte 0x01 before each message. <c>ipc:///tmp/x.sock</c> is absolute, <c>ipc://x.sock</c> relative to the working
/// directory. On Windows, <c>ipc://NAME</c> is the named pipe <c>\\.\pipe\NAME</c> with the same framing, as in NNG and mangos.
/// </summary>
internal sealed class IpcTransport : ITransport
{
    /// <summary>Bytes of <c>sun_path</c> usable for a path (108 minus the terminating NUL).</summary>
    internal const int MaxPathBytes = 107;

    public IReadOnlyList<string> Schemes { get; } = ["ipc", "unix"];

    /// <summary>
    /// Lets a test run the named-pipe path on Unix (where .NET emulates named pipes over Unix sockets) for the calls in
    /// its own async flow only, so tests running in parallel keep Unix domain sockets.
    /// </summary>
    internal static readonly AsyncLocal<bool> NamedPipesForTesting = new();

    /// <summary>Named pipes on Windows (as NNG and mangos), Unix domain sockets elsewhere.</summary>
    private static bool UseNamedPipes => OperatingSystem.IsWindows() || NamedPipesForTesting.Value;

    public ITransportDialer CreateDialer(SpUrl url, TransportSettings settings) =>
        UseNamedPipes ? new NamedPipeDialer(url.Original, PipeName(url), settings) : new IpcDialer(url.Original, Endpoint(url), settings);

    public ITransportListener CreateListener(SpUrl url, TransportSettings settings)
    {
        if (UseNamedPipes)
        {
            return new NamedPipeListener(url.Original, PipeName(url), settings);
        }
        var endpoint = Endpoint(url);
        return new IpcListener(url.Original, endpoint, filePath: url.Rest, settings);
    }

    /// <summary>The pipe name for ipc://NAME: a leading <c>\\.\pipe\</c> is accepted and stripped.</summary>
    private static string PipeName(SpUrl url)
    {
        string name = url.Rest;
        const string prefix = @"\\.\pipe\";
        if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            name = name[prefix.Length..];
        }
        if (name.Length == 0 || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': a pipe name is required");
        }
        return name;
    }

    private static UnixDomainSocketEndPoint Endpoint(SpUrl url)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            throw new SpNetException(SpError.NotSupported, $"{url}: Unix domain sockets are not available on this system");
        }
        string path = url.Rest;
        if (path.Length == 0)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': an ipc path is required");
        }
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': NUL in an ipc path");
        }
        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw new SpNetException(SpError.AddressInvalid, $"invalid address '{url}': the path is longer than {MaxPathBytes} bytes");
        }
        return new UnixDomainSocketEndPoint(path);
    }

    /// <summary>Turns a socket error on a Unix socket into an SpNet error code; a missing path is a refusal, as in NNG.</summary>
    internal static SpError Translate(SocketError error) => error switch
    {
        SocketError.ConnectionRefused or SocketError.AddressNotAvailable => SpError.ConnectionRefused,
        SocketError.AddressAlreadyInUse => SpError.AddressInUse,
        SocketError.AccessDenied => SpError.Permission,
        SocketError.ConnectionReset => SpError.ConnectionReset,
        SocketError.TimedOut => SpError.TimedOut,
        _ => SpError.ConnectionAborted,
    };
}
