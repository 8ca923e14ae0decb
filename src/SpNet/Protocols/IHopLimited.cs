namespace SpNet.Protocols;

/// <summary>
/// A protocol that drops messages which have crossed too many devices (NNG_OPT_MAXTTL). Cooked and raw variants
/// both have one, so a socket keeps the one it was made with instead of asking which variant it holds.
/// </summary>
internal interface IHopLimited
{
    /// <summary>Most hops a received message may carry; the protocol checks the range.</summary>
    int MaxTtl { get; set; }
}
