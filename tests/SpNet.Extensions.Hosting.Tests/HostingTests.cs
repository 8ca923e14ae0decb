using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using SpNet.Discovery;
using SpNet.TestKit;

namespace SpNet.Extensions.Hosting.Tests;

public sealed class HostingTests
{
    private static IHost Build(Dictionary<string, string?> settings, Action<SpNetBuilder>? configure = null)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        SpNetBuilder spnet = builder.Services.AddSpNet(builder.Configuration.GetSection("SpNet"));
        configure?.Invoke(spnet);
        builder.Services.AddHealthChecks().AddSpNet();
        return builder.Build();
    }

    [Fact]
    public async Task Sockets_from_configuration_listen_dial_and_answer_and_close_with_the_host()
    {
        string url = TestNetwork.FreeTcpUrl();
        using IHost host = Build(new()
        {
            ["SpNet:Sockets:server:Protocol"] = "rep0",
            ["SpNet:Sockets:server:Listen:0"] = url,
            ["SpNet:Sockets:server:Options:recv-size-max"] = "4096",
            ["SpNet:Sockets:server:Options:send-timeout"] = "00:00:05",
            ["SpNet:Sockets:client:Protocol"] = "req",
            ["SpNet:Sockets:client:Dial:0"] = url,
            ["SpNet:Sockets:client:Options:req:resend-time"] = "2000",
            ["SpNet:Sockets:client:ExpectPeers"] = "true",
        });
        await host.StartAsync();
        var server = host.Services.GetRequiredKeyedService<Socket>("server");
        var client = host.Services.GetRequiredService<SpNetSockets>().Get<ReqSocket>("client");
        Assert.Equal(4096, server.MaxReceiveSize);
        Assert.Equal(TimeSpan.FromSeconds(5), server.SendTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), client.ResendTime);
        Assert.NotNull(client.Logger);

        await client.SendAsync("ping"u8.ToArray());
        using (Message request = await Eventually.Within(server.ReceiveAsync(), "the request"))
        {
            await server.SendAsync(Message.Create($"pong to {request}"));
        }
        using (Message reply = await Eventually.Within(client.ReceiveAsync(), "the reply"))
        {
            Assert.Equal("pong to ping", reply.ToString());
        }
        HealthReport health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, health.Status);

        await host.StopAsync();
        Assert.True(server.IsClosed);
        Assert.True(client.IsClosed);
    }

    [Fact]
    public async Task A_socket_that_expects_peers_and_has_none_is_unhealthy_naming_it()
    {
        using IHost host = Build(new()
        {
            ["SpNet:Sockets:feed:Protocol"] = "sub",
            ["SpNet:Sockets:feed:Dial:0"] = TestNetwork.FreeTcpUrl(),
            ["SpNet:Sockets:feed:Subscribe:0"] = "",
            ["SpNet:Sockets:feed:ExpectPeers"] = "true",
        });
        await host.StartAsync();
        HealthReport health = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("socket:feed: no connected peer", health.Entries["spnet"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_socket_set_in_code_and_an_unknown_protocol_named_in_the_error()
    {
        using IHost host = Build([], spnet => spnet.AddSocket("pull", s =>
        {
            s.Protocol = "pull";
            s.Listen.Add("inproc://hosting-code");
            s.Configure = socket => socket.ReceiveTimeout = TimeSpan.FromSeconds(3);
        }));
        await host.StartAsync();
        Socket pull = host.Services.GetRequiredKeyedService<Socket>("pull");
        Assert.Equal(TimeSpan.FromSeconds(3), pull.ReceiveTimeout);
        Assert.Equal("inproc://hosting-code", Assert.Single(pull.Listeners).Url);
        await host.StopAsync();

        using IHost bad = Build(new() { ["SpNet:Sockets:x:Protocol"] = "reqq" });
        var ex = await Assert.ThrowsAsync<SpNetException>(() => bad.StartAsync());
        Assert.Contains("unknown protocol 'reqq'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registry_and_registration_run_with_the_host_and_the_registration_turns_unhealthy_when_the_registry_goes()
    {
        string survey = TestNetwork.FreeTcpUrl();
        string publish = TestNetwork.FreeTcpUrl();
        string service = TestNetwork.FreeTcpUrl();
        using IHost registryHost = Build(new()
        {
            ["SpNet:Registry:SurveyUrl"] = survey,
            ["SpNet:Registry:PublishUrl"] = publish,
            ["SpNet:Registry:Interval"] = "00:00:00.200",
        });
        await registryHost.StartAsync();
        using IHost member = Build(new()
        {
            ["SpNet:Sockets:echo:Protocol"] = "rep",
            ["SpNet:Sockets:echo:Listen:0"] = service,
            ["SpNet:Registrations:echo:SurveyUrl"] = survey,
            ["SpNet:Registrations:echo:Socket"] = "echo",
            ["SpNet:Registrations:echo:Meta:zone"] = "a",
            ["SpNet:Registrations:echo:RegistryInterval"] = "00:00:00.200",
            ["SpNet:Registrations:echo:DegradedAfterRounds"] = "2",
            ["SpNet:Registrations:echo:UnhealthyAfterRounds"] = "4",
        });
        await member.StartAsync();

        Registry registry = registryHost.Services.GetRequiredService<Registry>();
        await Eventually.True(() => registry.Current.MembersOf("echo").Any(m => m.Address == service && m.Zone == "a"), "the registry to list the member");
        HealthCheckService health = member.Services.GetRequiredService<HealthCheckService>();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);

        await registryHost.StopAsync();
        await Eventually.True(() => health.CheckHealthAsync().GetAwaiter().GetResult().Status == HealthStatus.Unhealthy,
            "the registration to turn unhealthy once the registry is gone", TimeSpan.FromSeconds(20));
        Assert.Contains("registration:echo", (await health.CheckHealthAsync()).Entries["spnet"].Description, StringComparison.Ordinal);
        await member.StopAsync();
    }
}
