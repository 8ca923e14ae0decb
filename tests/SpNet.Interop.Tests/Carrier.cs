namespace SpNet.Interop.Tests;

/// <summary>The transport an interop <see cref="Link"/> runs over.</summary>
public enum Carrier
{
    /// <summary><c>tcp://127.0.0.1:PORT</c>.</summary>
    Tcp,

    /// <summary><c>ipc://</c> with a fresh socket path in <see cref="InteropFiles"/>.</summary>
    Ipc,

    /// <summary><c>tls+tcp://localhost:PORT</c> with the throwaway CA of <see cref="InteropFiles"/> (nngcat only: nanocat has no TLS).</summary>
    Tls,
}
