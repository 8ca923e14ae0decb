using System.Net.WebSockets;
using SpNet.Fuzz.Support;
using SpNet.Transports.Ws;

namespace SpNet.Fuzz.Targets;

/// <summary>
/// The ws frame parser as a listener's pipe meets it: the input is what an upgraded client sent (frames, masked or
/// not), read by the runtime's WebSocket (server side) and reassembled into SP messages by WebSocketPipe. The pipe
/// must deliver only messages within the receive limit, never more bytes than arrived, and close exactly once, for
/// a documented reason, when the bytes run out.
/// </summary>
/// <remarks>Only SpNet's assemblies are instrumented: coverage guides the fuzzer through WebSocketPipe, not the runtime's frame decoder.</remarks>
internal static class WsFrameTarget
{
    private const long MaxReceive = 100 * 1024;

    public static void Run(byte[] input)
    {
        var stream = new ChunkedStream(input, input.Length);
        WebSocket socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var host = new CollectingHost();
        var pipe = new WebSocketPipe(socket, stream, 0x10, "ws://local", "ws://remote", MaxReceive, 4);
        pipe.Start(host, logger: null);
        Contract.Closes(pipe, TimeSpan.FromSeconds(5));
        Contract.Delivered(pipe, host, MaxReceive, input.Length, SpError.ConnectionShutdown, SpError.ConnectionReset, SpError.MessageTooLarge, SpError.Protocol);
    }
}
