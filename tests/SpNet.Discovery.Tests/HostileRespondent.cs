using System.Buffers.Binary;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary>
/// A hand-written RESPONDENT on a raw TCP connection that answers each survey with whatever answers a test asks for
/// (many per survey, any size), as a hostile peer would: one unauthenticated connection to the survey port.
/// </summary>
internal sealed class HostileRespondent : IAsyncDisposable
{
    private readonly RawSpPeer _peer;
    private readonly Task _loop;
    private int _surveys;

    private HostileRespondent(RawSpPeer peer, Func<int, IEnumerable<byte[]>> answers)
    {
        _peer = peer;
        _loop = Task.Run(() => AnswerAsync(answers));
    }

    /// <summary>Surveys answered so far.</summary>
    public int Surveys => Volatile.Read(ref _surveys);

    /// <summary>Connects to <paramref name="surveyUrl"/>; <paramref name="answers"/> gives the answer bodies for the n-th survey (from 0).</summary>
    public static async Task<HostileRespondent> StartAsync(string surveyUrl, Func<int, IEnumerable<byte[]>> answers)
    {
        var (peer, _) = await RawSpPeer.ConnectAndHandshakeAsync(surveyUrl, 0x63);
        return new HostileRespondent(peer, answers);
    }

    /// <summary>An answer body announcing <paramref name="service"/> at <paramref name="address"/> with <paramref name="meta"/>.</summary>
    public static byte[] Answer(string service, string address, IReadOnlyDictionary<string, string>? meta = null) =>
        DiscoveryFormat.EncodeAnnouncement(new ServiceMember(service, address, meta));

    public async ValueTask DisposeAsync()
    {
        _peer.Abort();
        await _loop.WaitAsync(Timing.Hang);
        _peer.Dispose();
    }

    private async Task AnswerAsync(Func<int, IEnumerable<byte[]>> answers)
    {
        try
        {
            for (int n = 0; ; n++)
            {
                byte[] survey = await _peer.ReceiveFrameAsync(Timeout.InfiniteTimeSpan);
                uint id = BinaryPrimitives.ReadUInt32BigEndian(survey); // the survey id; the body follows
                using var batch = new MemoryStream();
                foreach (byte[] body in answers(n))
                {
                    batch.Write(RawSpPeer.Frame(RawSpPeer.Tagged([id], body)));
                }
                await _peer.Socket.SendAsync(batch.GetBuffer().AsMemory(0, (int)batch.Length));
                Interlocked.Increment(ref _surveys);
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or System.Net.Sockets.SocketException or ObjectDisposedException or TimeoutException or IOException)
        {
            // Aborted by the test, or dropped by the registry.
        }
    }
}
