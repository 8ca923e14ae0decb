namespace SpNet.Discovery;

/// <summary>A registry as members and clients reach it: its survey address (members dial) and publish address (clients dial).</summary>
/// <param name="SurveyUrl">The registry's SURVEYOR address.</param>
/// <param name="PublishUrl">The registry's PUB address.</param>
public sealed record RegistryEndpoint(string SurveyUrl, string PublishUrl);
