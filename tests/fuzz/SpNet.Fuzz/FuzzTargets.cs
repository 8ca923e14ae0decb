using System.Diagnostics.CodeAnalysis;
using SpNet.Fuzz.Targets;

namespace SpNet.Fuzz;

/// <summary>
/// The fuzz targets by name. Each takes one input and returns normally when SpNet kept its contract for it (refused it
/// the documented way, or accepted something well-formed); anything else throws, which afl-fuzz records as a crash.
/// </summary>
internal static class FuzzTargets
{
    private static readonly Dictionary<string, Action<byte[]>> s_targets = new(StringComparer.Ordinal)
    {
        ["frame"] = FrameTarget.Run,
        ["handshake"] = HandshakeTarget.Run,
        ["ws-head"] = WsHeadTarget.Run,
        ["ws-frame"] = WsFrameTarget.Run,
        ["backtrace"] = BacktraceTarget.Run,
        ["pair1"] = Pair1Target.Run,
        ["discovery"] = DiscoveryTarget.Run,
    };

    public static IEnumerable<string> Names => s_targets.Keys;

    public static bool TryGet(string name, [NotNullWhen(true)] out Action<byte[]>? target) => s_targets.TryGetValue(name, out target);
}
