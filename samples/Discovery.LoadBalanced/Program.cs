// A load-balanced service reached by name: three "echo" workers register with the registry; a ServiceClient sends
// requests to "echo" (not to a host), spread over the live workers, and keeps working when one stops.
// Run: dotnet run --project samples/Discovery.LoadBalanced
using System.Text;
using SpNet;
using SpNet.Discovery;

var options = new RegistryOptions { SurveyUrl = "tcp://127.0.0.1:0", PublishUrl = "tcp://127.0.0.1:0", Interval = TimeSpan.FromMilliseconds(250) };
await using var registry = new Registry(options);
await registry.StartAsync();
await using var discovery = DiscoveryClient.Start(registry.PublishUrl);

var workers = Enumerable.Range(0, 3).Select(i => Worker.Start($"worker{i}", registry.SurveyUrl)).ToList();
using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
await discovery.WaitForAsync(s => s.MembersOf("echo").Count == 3, timeout.Token);

await using var echo = new ServiceClient(discovery);
var counts = new Dictionary<string, int>();
for (int i = 0; i < 60; i++)
{
    if (i == 30)
    {
        Console.WriteLine("worker1 stops; requests keep going");
        await workers[1].DisposeAsync();
    }
    string reply = Encoding.UTF8.GetString(await echo.RequestAsync("echo", Encoding.UTF8.GetBytes($"hello {i}"), timeout.Token));
    string by = reply[..reply.IndexOf(':', StringComparison.Ordinal)];
    counts[by] = counts.GetValueOrDefault(by) + 1;
}
Console.WriteLine("60 requests answered: " + string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}")));

await discovery.WaitForAsync(s => s.MembersOf("echo").Count == 2, timeout.Token); // the registry has noticed
foreach (string address in echo.DialedAddresses("echo"))
{
    Console.WriteLine($"still dialed: {address}");
}
foreach (Worker worker in workers)
{
    await worker.DisposeAsync();
}

/// <summary>A REP worker answering "name: request", registered as service "echo".</summary>
internal sealed class Worker : IAsyncDisposable
{
    private readonly RepSocket _socket = new() { Linger = TimeSpan.Zero };
    private readonly ServiceRegistration _registration;
    private readonly Task _loop;
    private readonly string _name;

    private Worker(string name, string surveyUrl)
    {
        _name = name;
        string address = _socket.Listen("tcp://127.0.0.1:0").Url;
        _loop = Task.Run(ServeAsync);
        _registration = ServiceRegistration.Start(surveyUrl, new ServiceMember("echo", address));
    }

    public static Worker Start(string name, string surveyUrl) => new(name, surveyUrl);

    private async Task ServeAsync()
    {
        try
        {
            while (true)
            {
                using Message request = await _socket.ReceiveAsync();
                await _socket.SendAsync(Encoding.UTF8.GetBytes($"{_name}: {request}"));
            }
        }
        catch (SpNetException ex) when (ex.Error == SpError.Closed)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _registration.DisposeAsync();
        _socket.Close();
        await _loop;
        await _socket.DisposeAsync();
    }
}
