namespace SpNet.Cli;

/// <summary>The SP protocol spcat opens, named after nngcat's protocol flags.</summary>
public enum CatProtocol
{
    /// <summary>No protocol flag was given.</summary>
    None = 0,
    /// <summary>--req0 (REQ).</summary>
    Req0,
    /// <summary>--rep0 (REP).</summary>
    Rep0,
    /// <summary>--pub0 (PUB).</summary>
    Pub0,
    /// <summary>--sub0 (SUB).</summary>
    Sub0,
    /// <summary>--push0 (PUSH).</summary>
    Push0,
    /// <summary>--pull0 (PULL).</summary>
    Pull0,
    /// <summary>--pair0 (PAIR v0).</summary>
    Pair0,
    /// <summary>--pair1 (PAIR v1, monogamous); also --pair, as nngcat's source maps it.</summary>
    Pair1,
    /// <summary>--bus0 (BUS); nngcat also takes the prefix --bus.</summary>
    Bus0,
    /// <summary>--surveyor0 (SURVEYOR).</summary>
    Surveyor0,
    /// <summary>--respondent0 (RESPONDENT).</summary>
    Respondent0,
    /// <summary>--star (mangos' STAR): an spcat extension; nngcat has no STAR.</summary>
    Star,
}
