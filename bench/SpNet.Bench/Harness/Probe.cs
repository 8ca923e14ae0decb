using System.Text;

namespace SpNet.Bench.Harness;

/// <summary>
/// Topics for PUB/SUB runs. With N subscriptions the SUB holds <c>t/000000/</c> … <c>t/{N-1}/</c>, and every message
/// carries the last one added: the worst case for a list matcher (NNG 1.5.2 scans its topics in insertion order), no
/// different for a trie. Probes are 9-byte messages on the same topic.
/// </summary>
internal static class Probe
{
    public const int TopicLength = 9;

    public static byte[] Topic(int index) => Encoding.ASCII.GetBytes($"t/{index:D6}/");

    public static byte[] Create(int subscriptions)
    {
        byte[] probe = new byte[TopicLength];
        TopicInto(probe, subscriptions);
        return probe;
    }

    /// <summary>Writes the topic every message carries into the start of <paramref name="body"/> (nothing when subscribed to everything).</summary>
    public static void TopicInto(byte[] body, int subscriptions)
    {
        if (subscriptions > 0 && body.Length >= TopicLength)
        {
            Topic(subscriptions - 1).CopyTo(body, 0);
        }
    }
}
