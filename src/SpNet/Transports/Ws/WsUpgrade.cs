namespace SpNet.Transports.Ws;

/// <summary>A routed upgrade request: its connection (with any bytes read past the head), the head, and the endpoints.</summary>
internal sealed record WsUpgrade(Stream Stream, System.Net.Sockets.Socket Socket, HttpHead Head, string RemoteAddress, string LocalAddress);
