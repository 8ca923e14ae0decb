using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SpNet.Discovery;
using SpNet.TestKit;

namespace SpNet.Extensions.Hosting.Tests;

/// <summary>
/// ServiceHost as a hosted service: <c>SpNet:Services:&lt;name&gt;</c> from configuration, handlers from the container
/// (keyed by the service's name, with their own dependencies) or from code, served while the host runs.
/// </summary>
public sealed class ServiceHostHostingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_service_from_configuration_answers_with_a_handler_from_the_container_and_stops_with_the_host()
    {
        string survey = TestNetwork.FreeTcpUrl();
        string publish = TestNetwork.FreeTcpUrl();
        var broadcasts = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SpNet:Registry:SurveyUrl"] = survey,
            ["SpNet:Registry:PublishUrl"] = publish,
            ["SpNet:Registry:Interval"] = "00:00:00.200",
            // A stall of two 200 ms rounds on a loaded machine would drop both members (the default 2 missed rounds)
            // just when the client takes its first view; this test is about hosting, not about leaving.
            ["SpNet:Registry:MissedRounds"] = "10",
            ["SpNet:Services:echo:SurveyUrls:0"] = survey,
            ["SpNet:Services:echo:Zone"] = "eu-1",
            ["SpNet:Services:echo:MaxConcurrency"] = "4",
            ["SpNet:Services:echo:Meta:owner"] = "tests",
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(new Greeting("echo: "));
        builder.Services.AddKeyedSingleton<IServiceRequestHandler, EchoHandler>("echo");
        builder.Services.AddSpNet(builder.Configuration.GetSection("SpNet"))
            .AddServiceHost("news", s =>
            {
                s.SurveyUrls.Add(survey);
                s.Configure = (host, _) => host.OnBroadcast((message, _) =>
                {
                    broadcasts.TrySetResult(message.ToString());
                    return ValueTask.CompletedTask;
                });
            });
        builder.Services.AddHealthChecks().AddSpNet();
        using IHost app = builder.Build();
        await app.StartAsync();

        SpNetServiceHosts hosts = app.Services.GetRequiredService<SpNetServiceHosts>();
        ServiceHost echo = hosts["echo"] ?? throw new InvalidOperationException("echo is not running");
        Assert.Equal("eu-1", echo.Member.Meta["zone"]);
        Assert.Equal("tests", echo.Member.Meta["owner"]);
        Registry registry = app.Services.GetRequiredService<Registry>();
        await Eventually.True(() => registry.Current.MembersOf("echo").Count == 1 && registry.Current.MembersOf("news").Count == 1,
            "both services to be registered", Bound);

        await using (var client = ServiceClient.Start(new ServiceClientOptions { Registries = [new RegistryEndpoint(survey, publish)] }))
        {
            byte[] reply = await Eventually.Within(client.RequestAsync("echo", "hello"u8.ToArray()), "the echo reply", Bound);
            Assert.Equal("echo: hello", Encoding.UTF8.GetString(reply));
            await Eventually.Within(client.BroadcastAsync("news", "extra"u8.ToArray()), "the broadcast", Bound);
            Assert.Equal("extra", await Eventually.Within(broadcasts.Task, "the broadcast handler", Bound));
        }
        Assert.Equal(1, echo.Statistics.Requests);

        HealthReport health = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);

        await app.StopAsync();
        Assert.Null(hosts["echo"]);
        Assert.Null(hosts["news"]);
        Assert.Throws<KeyNotFoundException>(() => hosts["missing"]);
    }

    [Fact]
    public async Task A_service_without_any_handler_stops_the_start_and_says_how_to_add_one()
    {
        string survey = TestNetwork.FreeTcpUrl();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSpNet().AddServiceHost("lonely", s => s.SurveyUrls.Add(survey));
        using IHost app = builder.Build();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
        Assert.Contains("'lonely' has no handler", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(IServiceRequestHandler), error.Message, StringComparison.Ordinal);
    }

    private sealed record Greeting(string Prefix);

    /// <summary>A handler with a dependency of its own, resolved by the container.</summary>
    private sealed class EchoHandler(Greeting greeting) : IServiceRequestHandler
    {
        public ValueTask<Message> HandleAsync(Message request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Message.Create($"{greeting.Prefix}{request}"));
    }
}
