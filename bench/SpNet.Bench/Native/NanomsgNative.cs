using System.Runtime.InteropServices;

namespace SpNet.Bench.Native;

/// <summary>The few entry points of nanomsg 1.1.5 (<c>libnanomsg.so.5</c>) the harness needs, declared from nanomsg's documentation.</summary>
internal static unsafe partial class NanomsgNative
{
    public const string Library = "libnanomsg.so.5";

    public const int AfSp = 1;
    public const int NnPair = 16;
    public const int NnPub = 32;
    public const int NnSub = 33;
    public const int NnReq = 48;
    public const int NnRep = 49;
    public const int NnPush = 80;
    public const int NnPull = 81;

    public const int SolSocket = 0;
    public const int Linger = 1;
    public const int SendBuffer = 2;
    public const int ReceiveBuffer = 3;
    public const int SendTimeout = 4;
    public const int ReceiveTimeout = 5;
    public const int ReceiveMaxSize = 16;
    public const int SubSubscribe = 1;

    /// <summary>ETIMEDOUT on Linux, as nn_errno reports it.</summary>
    public const int ETimedOut = 110;

    [LibraryImport(Library)] public static partial int nn_socket(int domain, int protocol);
    [LibraryImport(Library)] public static partial int nn_close(int socket);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nn_bind(int socket, string address);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int nn_connect(int socket, string address);

    [LibraryImport(Library)] public static partial int nn_setsockopt(int socket, int level, int option, byte* value, nuint size);
    [LibraryImport(Library)] public static partial int nn_send(int socket, byte* data, nuint size, int flags);
    [LibraryImport(Library)] public static partial int nn_recv(int socket, byte* data, nuint size, int flags);
    [LibraryImport(Library)] public static partial int nn_errno();
    [LibraryImport(Library)] public static partial nint nn_strerror(int error);

    public static string Error(int error) => Marshal.PtrToStringUTF8(nn_strerror(error)) ?? $"nanomsg error {error}";

    public static int SetInt(int socket, int level, int option, int value) => nn_setsockopt(socket, level, option, (byte*)&value, sizeof(int));
}
