using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>What BUS and STAR promise of a connected group: every member's message reaches every other member exactly once.</summary>
internal static class Broadcast
{
    /// <summary>Each member sends "from i"; each then receives exactly the other members' messages (in any order).</summary>
    public static async Task EachHearsEveryOtherOnceAsync(IReadOnlyList<Socket> members)
    {
        int n = members.Count;
        for (int i = 0; i < n; i++)
        {
            await members[i].SendTextAsync($"from {i}");
        }
        for (int i = 0; i < n; i++)
        {
            var got = new List<string>();
            for (int k = 0; k < n - 1; k++)
            {
                got.Add(await members[i].ReceiveTextAsync());
            }
            Assert.Equal(Enumerable.Range(0, n).Where(j => j != i).Select(j => $"from {j}").Order(), got.Order());
        }
    }
}
