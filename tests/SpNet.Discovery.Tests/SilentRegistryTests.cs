using System.Net;
using System.Net.Sockets;
using SpNet.TestKit;
using NetSocket = System.Net.Sockets.Socket;

namespace SpNet.Discovery.Tests;

/// <summary>
/// A registry that comes back while a member's or client's connection to it still looks open: the old connection
/// stays established on our side and nothing arrives on it (as when a registry's host reboots, or a registry is
/// killed while our host is cut off and its closing segments are lost). Members and clients redial such a
/// connection once it has been silent for <see cref="RegistryBackend.SilenceTimeout"/>; before, a member only ever
/// answered, so it kept the dead connection and was never listed by the restarted registry.
/// </summary>
public sealed class SilentRegistryTests
{
    private static readonly TimeSpan s_silence = TimeSpan.FromSeconds(1);

    /// <summary>Generous: the redial is due one silence timeout after the last survey, then one registry round.</summary>
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_member_redials_a_registry_connection_that_brings_no_survey_and_is_listed_by_the_registry_behind_it()
    {
        using var old = SilentPeer.Start(surveyor: true);
        string surveyUrl = $"tcp://127.0.0.1:{old.Port}";
        var backend = new RegistryBackend([RegistryEndpoint.Survey(surveyUrl)], silenceTimeout: s_silence);
        var member = new ServiceMember("billing", "tcp://127.0.0.1:9");
        await using ServiceRegistration registration = ServiceRegistration.Start(backend, member);
        NetSocket held = await old.AcceptAsync(s_bound);

        // The old registry is gone but its connection is not: a new registry takes the address.
        old.StopListening();
        await using var registry = new Registry(Timing.Options(survey: surveyUrl));
        await registry.StartAsync();

        await Eventually.True(() => registry.Current.Members.Any(m => m.Address == member.Address), "the new registry lists the member", s_bound);
        Assert.True(await SilentPeer.ClosedByPeerAsync(held, s_bound), "the member closed the silent connection");
    }

    [Fact]
    public async Task A_client_redials_a_registry_connection_that_brings_no_snapshot_and_sees_the_registry_behind_it()
    {
        using var old = SilentPeer.Start(surveyor: false);
        string publishUrl = $"tcp://127.0.0.1:{old.Port}";
        var backend = new RegistryBackend([RegistryEndpoint.Publish(publishUrl)], silenceTimeout: s_silence);
        await using DiscoveryClient client = DiscoveryClient.Start(backend);
        NetSocket held = await old.AcceptAsync(s_bound);

        old.StopListening();
        await using var registry = new Registry(Timing.Options(publish: publishUrl));
        await registry.StartAsync();
        await using var member = TestMember.Start(registry.SurveyUrl, "billing", "b0");

        await Eventually.True(() => client.Current.Members.Any(m => m.Address == member.Address), "the client sees the new registry's member", s_bound);
        Assert.True(await SilentPeer.ClosedByPeerAsync(held, s_bound), "the client closed the silent connection");
    }

    /// <summary>
    /// A registry's address that completes the SP handshake (as SURVEYOR, or as PUB) and then never sends: the
    /// connection stays open and silent, as one whose far end vanished without a trace.
    /// </summary>
    private sealed class SilentPeer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly byte _protocol;
        private readonly List<NetSocket> _accepted = [];

        private SilentPeer(TcpListener listener, byte protocol)
        {
            _listener = listener;
            _protocol = protocol;
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static SilentPeer Start(bool surveyor)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return new SilentPeer(listener, surveyor ? (byte)0x62 : (byte)0x20);
        }

        /// <summary>Accepts one connection and exchanges SP headers on it.</summary>
        public async Task<NetSocket> AcceptAsync(TimeSpan limit)
        {
            using var cts = new CancellationTokenSource(limit);
            NetSocket socket = await _listener.AcceptSocketAsync(cts.Token);
            _accepted.Add(socket);
            byte[] header = new byte[8];
            int read = 0;
            while (read < header.Length)
            {
                int n = await socket.ReceiveAsync(header.AsMemory(read), SocketFlags.None, cts.Token);
                Assert.True(n > 0, "the peer closed during the handshake");
                read += n;
            }
            await socket.SendAsync(new byte[] { 0, (byte)'S', (byte)'P', 0, 0, _protocol, 0, 0 }.AsMemory(), SocketFlags.None, cts.Token);
            return socket;
        }

        /// <summary>Stops accepting; the connections accepted stay open.</summary>
        public void StopListening() => _listener.Stop();

        /// <summary>True once the far end closes <paramref name="socket"/> (a read returns end of stream or is reset).</summary>
        public static async Task<bool> ClosedByPeerAsync(NetSocket socket, TimeSpan limit)
        {
            using var cts = new CancellationTokenSource(limit);
            byte[] buffer = new byte[256];
            try
            {
                while (await socket.ReceiveAsync(buffer.AsMemory(), SocketFlags.None, cts.Token) > 0)
                {
                    // Anything the peer sent before closing (a late answer) is read past.
                }
                return true;
            }
            catch (SocketException)
            {
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            foreach (NetSocket socket in _accepted)
            {
                socket.Dispose();
            }
        }
    }
}
