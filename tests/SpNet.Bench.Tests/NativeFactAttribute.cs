using SpNet.Bench.Harness;
using SpNet.TestKit;

namespace SpNet.Bench.Tests;

/// <summary>
/// A fact that needs libnng.so.1 and/or libnanomsg.so.5: skipped with the reason when one is missing, unless
/// SPNET_REQUIRE_PEERS=1 (then it runs and fails on the missing library).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute(bool nng = true, bool nanomsg = false)
    {
        var missing = new List<string>();
        if (nng && !NativeProbe.IsAvailable(Library.Nng))
        {
            missing.Add("libnng.so.1 not installed (apt-get install libnng1)");
        }
        if (nanomsg && !NativeProbe.IsAvailable(Library.Nanomsg))
        {
            missing.Add("libnanomsg.so.5 not installed (apt-get install libnanomsg5)");
        }
        if (missing.Count > 0 && !Peers.AreRequired)
        {
            Skip = string.Join("; ", missing);
        }
    }
}
