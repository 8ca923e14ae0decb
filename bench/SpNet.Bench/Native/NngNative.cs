using System.Runtime.InteropServices;

namespace SpNet.Bench.Native;

/// <summary>
/// The few entry points of NNG 1.5.2 (<c>libnng.so.1</c>) the harness needs, declared from NNG's documentation:
/// <c>nng_socket</c>, <c>nng_listener</c> and <c>nng_dialer</c> are structs holding one <c>uint32_t</c> id, passed by value.
/// </summary>
internal static unsafe partial class NngNative
{
    public const string Library = "libnng.so.1";

    public const int ETimedOut = 5;
    public const int EClosed = 7;

    public const string OptRecvBuf = "recv-buffer";
    public const string OptSendBuf = "send-buffer";
    public const string OptRecvTimeout = "recv-timeout";
    public const string OptSendTimeout = "send-timeout";
    public const string OptRecvMaxSize = "recv-size-max";
    public const string OptTcpBoundPort = "tcp-bound-port";
    public const string OptSubSubscribe = "sub:subscribe";

    [LibraryImport(Library)] public static partial int nng_pair0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_pair1_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_push0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_pull0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_pub0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_sub0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_req0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_rep0_open(out uint socket);
    [LibraryImport(Library)] public static partial int nng_close(uint socket);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_listen(uint socket, string url, out uint listener, int flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_dial(uint socket, string url, out uint dialer, int flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_listener_get_int(uint listener, string option, out int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_socket_set_int(uint socket, string option, int value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_socket_set_ms(uint socket, string option, int milliseconds);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_socket_set_size(uint socket, string option, nuint value);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nng_socket_set(uint socket, string option, byte* value, nuint size);

    [LibraryImport(Library)] public static partial int nng_send(uint socket, byte* data, nuint size, int flags);
    [LibraryImport(Library)] public static partial int nng_recv(uint socket, byte* data, ref nuint size, int flags);
    [LibraryImport(Library)] public static partial nint nng_strerror(int error);

    public static string Error(int error) => Marshal.PtrToStringUTF8(nng_strerror(error)) ?? $"nng error {error}";
}
