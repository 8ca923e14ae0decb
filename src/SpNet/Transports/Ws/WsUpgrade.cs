namespace SpNet.Transports.Ws;

/// <summary>
/// A routed upgrade request: its connection (with any bytes read past the head), the head, and the endpoints. Or, with
/// <see cref="Failure"/> set, a connection that failed before any route could be chosen (a refused TLS handshake),
/// handed to a listener on the port only so that it counts and logs the failure.
/// </summary>
internal sealed record WsUpgrade(Stream Stream, System.Net.Sockets.Socket Socket, HttpHead? Head, string RemoteAddress, string LocalAddress, Exception? Failure = null);
