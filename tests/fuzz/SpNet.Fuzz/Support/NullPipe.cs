using SpNet.Core;

namespace SpNet.Fuzz.Support;

/// <summary>A pipe with no transport, never started: what the protocol decoders need to close (or send a request on).</summary>
internal sealed class NullPipe(ushort peerProtocol) : Pipe(peerProtocol, "null://local", "null://remote", 1)
{
    protected override Task ReadLoopAsync() => Task.CompletedTask;

    protected override Task WriteLoopAsync() => Task.CompletedTask;

    protected override void CloseTransport()
    {
    }
}
