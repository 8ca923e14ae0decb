using System.Runtime.InteropServices;

namespace SpNet.Bench.Harness;

/// <summary>Whether a native library loads, so runs needing it can be marked n/a instead of failing.</summary>
internal static class NativeProbe
{
    public static bool CanLoad(string name)
    {
        if (NativeLibrary.TryLoad(name, out nint handle))
        {
            NativeLibrary.Free(handle);
            return true;
        }
        return false;
    }

    public static bool IsAvailable(Library library) => library switch
    {
        Library.Nng => NngBenchSocket.IsAvailable,
        Library.Nanomsg => NanomsgBenchSocket.IsAvailable,
        _ => true,
    };
}
