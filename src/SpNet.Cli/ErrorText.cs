namespace SpNet.Cli;

/// <summary>NNG's error strings (nng_strerror), so spcat's messages read like nngcat's.</summary>
internal static class ErrorText
{
    public static string Of(SpError error) => error switch
    {
        SpError.Interrupted => "Interrupted",
        SpError.NoMemory => "Out of memory",
        SpError.InvalidArgument => "Invalid argument",
        SpError.Busy => "Resource busy",
        SpError.TimedOut => "Timed out",
        SpError.ConnectionRefused => "Connection refused",
        SpError.Closed => "Object closed",
        SpError.TryAgain => "Try again",
        SpError.NotSupported => "Not supported",
        SpError.AddressInUse => "Address in use",
        SpError.IncorrectState => "Incorrect state",
        SpError.NoEntry => "Entry not found",
        SpError.Protocol => "Protocol error",
        SpError.Unreachable => "Destination unreachable",
        SpError.AddressInvalid => "Address invalid",
        SpError.Permission => "Permission denied",
        SpError.MessageTooLarge => "Message too large",
        SpError.ConnectionAborted => "Connection aborted",
        SpError.ConnectionReset => "Connection reset",
        SpError.Canceled => "Operation canceled",
        SpError.Crypto => "Cryptographic error",
        SpError.PeerAuth => "Peer could not be authenticated",
        SpError.BadType => "Incorrect type",
        SpError.ConnectionShutdown => "Connection shutdown",
        _ => "Internal error detected",
    };

    public static string Of(Exception ex) => ex switch
    {
        SpNetException sp => Of(sp.Error),
        OperationCanceledException => Of(SpError.Canceled),
        _ => ex.Message,
    };
}
