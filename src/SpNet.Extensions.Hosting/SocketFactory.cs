namespace SpNet.Extensions.Hosting;

/// <summary>Opens a socket from its protocol's NNG name, as configuration names it.</summary>
internal static class SocketFactory
{
    private static readonly Dictionary<string, (Func<Socket> Cooked, Func<Socket> Raw)> s_protocols = new(StringComparer.Ordinal)
    {
        ["pair"] = (() => new PairSocket(), PairSocket.CreateRaw),
        ["pair1"] = (() => new Pair1Socket(), Pair1Socket.CreateRaw),
        ["push"] = (() => new PushSocket(), PushSocket.CreateRaw),
        ["pull"] = (() => new PullSocket(), PullSocket.CreateRaw),
        ["pub"] = (() => new PubSocket(), PubSocket.CreateRaw),
        ["sub"] = (() => new SubSocket(), SubSocket.CreateRaw),
        ["req"] = (() => new ReqSocket(), ReqSocket.CreateRaw),
        ["rep"] = (() => new RepSocket(), RepSocket.CreateRaw),
        ["surveyor"] = (() => new SurveyorSocket(), SurveyorSocket.CreateRaw),
        ["respondent"] = (() => new RespondentSocket(), RespondentSocket.CreateRaw),
        ["bus"] = (() => new BusSocket(), BusSocket.CreateRaw),
        ["star"] = (() => new StarSocket(), StarSocket.CreateRaw),
    };

    public static Socket Create(string protocol, bool raw)
    {
        string name = protocol.Trim().ToLowerInvariant();
        if (name.EndsWith('0'))
        {
            name = name[..^1]; // req0 = req, pair0 = pair (PAIR v0)
        }
        return s_protocols.TryGetValue(name, out var create)
            ? (raw ? create.Raw() : create.Cooked())
            : throw new SpNetException(SpError.InvalidArgument,
                $"unknown protocol '{protocol}': use {string.Join(", ", s_protocols.Keys)} (a trailing 0 is accepted)");
    }

    /// <summary>The typed value <see cref="MessagePort.SetOption"/> expects for an option written as text in configuration.</summary>
    public static object OptionValue(string text)
    {
        if (bool.TryParse(text, out bool flag))
        {
            return flag;
        }
        if (int.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int number))
        {
            return number;
        }
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long big))
        {
            return big;
        }
        if (text.Contains(':', StringComparison.Ordinal) && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out TimeSpan duration))
        {
            return duration;
        }
        return text;
    }
}
