using System.Runtime.InteropServices;
using System.Text;

namespace SpNet.Interop.Tests;

/// <summary>
/// A minimal P/Invoke wrapper over libnng.so.1 (NNG 1.5.2) for what nngcat cannot do: contexts, raw sockets and
/// nng_device. Every call that fails throws with NNG's error text. Sockets and contexts are plain ids (the C
/// structs hold one uint32).
/// </summary>
internal static partial class NativeNng
{
    private const string Library = "libnng.so.1";
    private const int FlagAlloc = 1;

    /// <summary>Why native NNG tests cannot run here, or null when libnng.so.1 loads.</summary>
    public static string? MissingReason
    {
        get
        {
            if (NativeLibrary.TryLoad(Library, out IntPtr handle))
            {
                NativeLibrary.Free(handle);
                return null;
            }
            return "libnng.so.1 not installed: apt-get install libnng1";
        }
    }

    [LibraryImport(Library)] private static partial int nng_req0_open(out uint socket);
    [LibraryImport(Library)] private static partial int nng_rep0_open(out uint socket);
    [LibraryImport(Library)] private static partial int nng_req0_open_raw(out uint socket);
    [LibraryImport(Library)] private static partial int nng_rep0_open_raw(out uint socket);
    [LibraryImport(Library)] private static partial int nng_close(uint socket);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int nng_listen(uint socket, string url, IntPtr listener, int flags);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int nng_dial(uint socket, string url, IntPtr dialer, int flags);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial int nng_socket_set_ms(uint socket, string name, int ms);
    [LibraryImport(Library)] private static partial int nng_send(uint socket, byte[] data, nuint size, int flags);
    [LibraryImport(Library)] private static partial int nng_recv(uint socket, out IntPtr data, ref nuint size, int flags);
    [LibraryImport(Library)] private static partial void nng_free(IntPtr data, nuint size);
    [LibraryImport(Library)] private static partial IntPtr nng_strerror(int error);
    [LibraryImport(Library)] private static partial int nng_device(uint a, uint b);
    [LibraryImport(Library)] private static partial int nng_ctx_open(out uint context, uint socket);
    [LibraryImport(Library)] private static partial int nng_ctx_close(uint context);
    [LibraryImport(Library)] private static partial void nng_ctx_send(uint context, IntPtr aio);
    [LibraryImport(Library)] private static partial void nng_ctx_recv(uint context, IntPtr aio);
    [LibraryImport(Library)] private static partial int nng_aio_alloc(out IntPtr aio, IntPtr callback, IntPtr arg);
    [LibraryImport(Library)] private static partial void nng_aio_free(IntPtr aio);
    [LibraryImport(Library)] private static partial void nng_aio_wait(IntPtr aio);
    [LibraryImport(Library)] private static partial int nng_aio_result(IntPtr aio);
    [LibraryImport(Library)] private static partial void nng_aio_set_msg(IntPtr aio, IntPtr message);
    [LibraryImport(Library)] private static partial IntPtr nng_aio_get_msg(IntPtr aio);
    [LibraryImport(Library)] private static partial void nng_aio_set_timeout(IntPtr aio, int ms);
    [LibraryImport(Library)] private static partial int nng_msg_alloc(out IntPtr message, nuint size);
    [LibraryImport(Library)] private static partial int nng_msg_append(IntPtr message, byte[] data, nuint size);
    [LibraryImport(Library)] private static partial IntPtr nng_msg_body(IntPtr message);
    [LibraryImport(Library)] private static partial nuint nng_msg_len(IntPtr message);
    [LibraryImport(Library)] private static partial void nng_msg_free(IntPtr message);

    public static uint OpenReq() => Check(nng_req0_open(out uint s), "nng_req0_open", s);

    public static uint OpenRep() => Check(nng_rep0_open(out uint s), "nng_rep0_open", s);

    public static uint OpenReqRaw() => Check(nng_req0_open_raw(out uint s), "nng_req0_open_raw", s);

    public static uint OpenRepRaw() => Check(nng_rep0_open_raw(out uint s), "nng_rep0_open_raw", s);

    public static void Close(uint socket) => _ = nng_close(socket); // already closed is fine here

    public static void Listen(uint socket, string url) => Check(nng_listen(socket, url, IntPtr.Zero, 0), $"nng_listen {url}", 0);

    public static void Dial(uint socket, string url) => Check(nng_dial(socket, url, IntPtr.Zero, 0), $"nng_dial {url}", 0);

    public static void SetTimeouts(uint socket, TimeSpan timeout)
    {
        Check(nng_socket_set_ms(socket, "recv-timeout", (int)timeout.TotalMilliseconds), "recv-timeout", 0);
        Check(nng_socket_set_ms(socket, "send-timeout", (int)timeout.TotalMilliseconds), "send-timeout", 0);
    }

    public static void SendText(uint socket, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Check(nng_send(socket, bytes, (nuint)bytes.Length, 0), "nng_send", 0);
    }

    public static string ReceiveText(uint socket)
    {
        nuint size = 0;
        Check(nng_recv(socket, out IntPtr data, ref size, FlagAlloc), "nng_recv", 0);
        try
        {
            return Marshal.PtrToStringUTF8(data, (int)size);
        }
        finally
        {
            nng_free(data, size);
        }
    }

    /// <summary>Runs nng_device(a, b) on its own thread; it returns when either socket is closed.</summary>
    public static Task RunDevice(uint a, uint b) =>
        Task.Factory.StartNew(() => nng_device(a, b), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public static uint OpenContext(uint socket) => Check(nng_ctx_open(out uint c, socket), "nng_ctx_open", c);

    public static void CloseContext(uint context) => _ = nng_ctx_close(context);

    /// <summary>nng_ctx_send of a new nng_msg holding <paramref name="text"/>, waited for (blocking).</summary>
    public static void ContextSendText(uint context, string text, TimeSpan timeout)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        Check(nng_msg_alloc(out IntPtr message, 0), "nng_msg_alloc", 0);
        Check(nng_msg_append(message, bytes, (nuint)bytes.Length), "nng_msg_append", 0);
        Check(nng_aio_alloc(out IntPtr aio, IntPtr.Zero, IntPtr.Zero), "nng_aio_alloc", 0);
        try
        {
            nng_aio_set_timeout(aio, (int)timeout.TotalMilliseconds);
            nng_aio_set_msg(aio, message);
            nng_ctx_send(context, aio);
            nng_aio_wait(aio);
            int rv = nng_aio_result(aio);
            if (rv != 0)
            {
                nng_msg_free(message); // not sent: still ours
                Check(rv, "nng_ctx_send", 0);
            }
        }
        finally
        {
            nng_aio_free(aio);
        }
    }

    /// <summary>nng_ctx_recv, waited for (blocking); returns the body as text.</summary>
    public static string ContextReceiveText(uint context, TimeSpan timeout)
    {
        Check(nng_aio_alloc(out IntPtr aio, IntPtr.Zero, IntPtr.Zero), "nng_aio_alloc", 0);
        try
        {
            nng_aio_set_timeout(aio, (int)timeout.TotalMilliseconds);
            nng_ctx_recv(context, aio);
            nng_aio_wait(aio);
            Check(nng_aio_result(aio), "nng_ctx_recv", 0);
            IntPtr message = nng_aio_get_msg(aio);
            try
            {
                return Marshal.PtrToStringUTF8(nng_msg_body(message), (int)nng_msg_len(message));
            }
            finally
            {
                nng_msg_free(message);
            }
        }
        finally
        {
            nng_aio_free(aio);
        }
    }

    private static T Check<T>(int rv, string what, T value) =>
        rv == 0 ? value : throw new InvalidOperationException($"{what}: {Marshal.PtrToStringUTF8(nng_strerror(rv))} ({rv})");
}
