using System.Text;
using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary>A service instance: a REP socket on a fresh loopback port answering "name:request", registered with the registry.</summary>
internal sealed class TestMember : IAsyncDisposable
{
    private readonly RepSocket _rep;
    private readonly Task _loop;
    private readonly ServiceRegistration _registration;

    private TestMember(RepSocket rep, string address, string surveyUrl, string service, string name, IReadOnlyDictionary<string, string>? meta)
    {
        _rep = rep;
        Name = name;
        Address = address;
        _loop = Task.Run(ServeAsync);
        _registration = ServiceRegistration.Start(surveyUrl, new ServiceMember(service, address, meta));
    }

    public string Name { get; }

    public string Address { get; }

    public ServiceRegistration Registration => _registration;

    /// <summary>Starts a member; <paramref name="address"/> reuses a concrete address (a restart), null picks a port.</summary>
    public static TestMember Start(string surveyUrl, string service, string name, string? address = null, IReadOnlyDictionary<string, string>? meta = null)
    {
        var rep = new RepSocket { Linger = TimeSpan.Zero };
        string bound = rep.Listen(address ?? Addresses.TcpLoopback).Url;
        return new TestMember(rep, bound, surveyUrl, service, name, meta);
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            try
            {
                using Message request = await _rep.ReceiveAsync();
                await _rep.SendAsync(Encoding.UTF8.GetBytes($"{Name}:{request}"));
            }
            catch (SpNetException ex) when (ex.Error == SpError.Closed)
            {
                return;
            }
            catch (SpNetException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _registration.DisposeAsync();
        _rep.Close();
        await _loop;
        await _rep.DisposeAsync();
    }
}
