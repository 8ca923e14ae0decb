namespace SpNet.Discovery;

/// <summary>
/// One SP registry's two addresses. A member needs only <see cref="SurveyUrl"/> (it answers surveys there); a
/// <see cref="DiscoveryClient"/> needs only <see cref="PublishUrl"/> (it reads snapshots there).
/// </summary>
/// <param name="SurveyUrl">Where the registry surveys its members (e.g. <c>tcp://10.0.0.2:7000</c>), or null.</param>
/// <param name="PublishUrl">Where the registry publishes snapshots (e.g. <c>tcp://10.0.0.2:7001</c>), or null.</param>
public sealed record RegistryEndpoint(string? SurveyUrl, string? PublishUrl)
{
    /// <summary>A registry known only by its survey address (the member side).</summary>
    public static RegistryEndpoint Survey(string surveyUrl) => new(surveyUrl, null);

    /// <summary>A registry known only by its publish address (the client side).</summary>
    public static RegistryEndpoint Publish(string publishUrl) => new(null, publishUrl);

    /// <inheritdoc />
    public override string ToString() => $"registry(survey {SurveyUrl ?? "-"}, publish {PublishUrl ?? "-"})";
}
