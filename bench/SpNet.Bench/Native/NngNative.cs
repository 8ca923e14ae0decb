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
    public const int ECanceled = 20;

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

    // Contexts and asynchronous I/O (reqrep). nng_ctx is a struct of one uint32_t, passed by value; nng_aio and
    // nng_msg are opaque pointers. NNG 1.5.2 has no synchronous context calls: a context sends and receives only
    // through an aio (nng_ctx_send/nng_ctx_recv), completed by its callback or awaited with nng_aio_wait.
    [LibraryImport(Library)] public static partial int nng_ctx_open(out uint context, uint socket);
    [LibraryImport(Library)] public static partial int nng_ctx_close(uint context);
    [LibraryImport(Library)] public static partial void nng_ctx_send(uint context, nint aio);
    [LibraryImport(Library)] public static partial void nng_ctx_recv(uint context, nint aio);

    /// <summary><c>int nng_aio_alloc(nng_aio **aiop, void (*callb)(void *), void *arg)</c>; <paramref name="callback"/> may be null.</summary>
    [LibraryImport(Library)] public static partial int nng_aio_alloc(out nint aio, delegate* unmanaged[Cdecl]<nint, void> callback, nint arg);
    [LibraryImport(Library)] public static partial void nng_aio_free(nint aio);
    [LibraryImport(Library)] public static partial void nng_aio_stop(nint aio);
    [LibraryImport(Library)] public static partial void nng_aio_wait(nint aio);
    [LibraryImport(Library)] public static partial int nng_aio_result(nint aio);
    [LibraryImport(Library)] public static partial void nng_aio_set_timeout(nint aio, int milliseconds);
    [LibraryImport(Library)] public static partial void nng_aio_set_msg(nint aio, nint message);
    [LibraryImport(Library)] public static partial nint nng_aio_get_msg(nint aio);

    [LibraryImport(Library)] public static partial int nng_msg_alloc(out nint message, nuint size);
    [LibraryImport(Library)] public static partial void nng_msg_free(nint message);
    [LibraryImport(Library)] public static partial byte* nng_msg_body(nint message);
    [LibraryImport(Library)] public static partial nuint nng_msg_len(nint message);

    public static string Error(int error) => Marshal.PtrToStringUTF8(nng_strerror(error)) ?? $"nng error {error}";
}
