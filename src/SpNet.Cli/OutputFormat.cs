namespace SpNet.Cli;

/// <summary>How received message bodies are written to standard output (nngcat's format flags).</summary>
public enum OutputFormat
{
    /// <summary>No format flag given: nothing is printed (nngcat's default).</summary>
    None = 0,
    /// <summary>--format no: nothing is printed.</summary>
    No,
    /// <summary>--raw: the body bytes as they are.</summary>
    Raw,
    /// <summary>--ascii: printable ASCII as is, other bytes as '.', no separator between messages.</summary>
    Ascii,
    /// <summary>--quoted: a C-style quoted string and a newline per message.</summary>
    Quoted,
    /// <summary>--hex: every byte as \xNN inside quotes, and a newline per message.</summary>
    Hex,
    /// <summary>--msgpack: each body as a MessagePack bin 8/16/32 value.</summary>
    MsgPack,
}
