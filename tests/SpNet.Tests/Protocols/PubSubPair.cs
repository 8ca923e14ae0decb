using SpNet.TestKit;

namespace SpNet.Tests.Protocols;

/// <summary>A PUB and a SUB connected over inproc or tcp, both ends' pipes up, disposed together: the SUB tests' set-up.</summary>
internal sealed class PubSubPair(PubSocket pub, SubSocket sub) : IAsyncDisposable
{
    /// <summary>The publisher (it listens).</summary>
    public PubSocket Pub => pub;

    /// <summary>The subscriber (it dials).</summary>
    public SubSocket Sub => sub;

    /// <summary>Connects a new PUB, listening on <paramref name="transport"/>, with <paramref name="sub"/>, which dials it.</summary>
    public static async Task<PubSubPair> ConnectAsync(SubSocket sub, string transport = "tcp")
    {
        var pair = new PubSubPair(new PubSocket(), sub);
        try
        {
            sub.Dial(pair.Pub.Listen(Addresses.For(transport, "sub")).Url);
            await pair.Pub.WaitForPipeCountAsync(1);
            await sub.WaitForPipeCountAsync(1);
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
        return pair;
    }

    /// <summary>The two sockets, publisher first.</summary>
    public void Deconstruct(out PubSocket publisher, out SubSocket subscriber) => (publisher, subscriber) = (pub, sub);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await sub.DisposeAsync();
        await pub.DisposeAsync();
    }
}
