using SpNet.TestKit;

namespace SpNet.Discovery.Tests;

/// <summary>Each discovery type writes to the logger it was given: its own events and its sockets'.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task The_registry_logs_a_member_joining_and_leaving()
    {
        var log = new ListLogger();
        RegistryOptions options = Timing.Options();
        options.Logger = log;
        await using var registry = new Registry(options);
        await registry.StartAsync();
        var registration = ServiceRegistration.Start(registry.SurveyUrl, new ServiceMember("echo", "tcp://127.0.0.1:9"));

        await Eventually.True(() => log.Has(102, "echo member tcp://127.0.0.1:9 joined"), "the registry to log the join");
        await registration.DisposeAsync();
        await Eventually.True(() => log.Has(103, "echo member tcp://127.0.0.1:9 left"), "the registry to log the leave");
    }

    [Fact]
    public async Task A_registration_and_a_client_log_their_failed_dials_to_the_registry()
    {
        var registrationLog = new ListLogger();
        var clientLog = new ListLogger();
        string survey = TestNetwork.FreeTcpUrl();
        string publish = TestNetwork.FreeTcpUrl();
        await using var registration = ServiceRegistration.Start(survey, new ServiceMember("echo", "tcp://127.0.0.1:9"), logger: registrationLog);
        await using var client = DiscoveryClient.Start(publish, logger: clientLog);
        await Eventually.True(() => registrationLog.Has(3, survey), "the RESPONDENT's failed dial in the log");
        await Eventually.True(() => clientLog.Has(3, publish), "the SUB's failed dial in the log");
    }
}
