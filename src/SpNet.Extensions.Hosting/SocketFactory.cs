namespace SpNet.Extensions.Hosting;

/// <summary>Opens a socket from its protocol's NNG name, as configuration names it.</summary>
internal static class SocketFactory
{
    public static Socket Create(string protocol, bool raw)
    {
        string name = protocol.Trim().ToLowerInvariant();
        if (name.EndsWith('0') && name != "pair0")
        {
            name = name[..^1];
        }
        return (name, raw) switch
        {
            ("pair" or "pair0", false) => new PairSocket(),
            ("pair" or "pair0", true) => PairSocket.CreateRaw(),
            ("pair1", false) => new Pair1Socket(),
            ("pair1", true) => Pair1Socket.CreateRaw(),
            ("push", false) => new PushSocket(),
            ("push", true) => PushSocket.CreateRaw(),
            ("pull", false) => new PullSocket(),
            ("pull", true) => PullSocket.CreateRaw(),
            ("pub", false) => new PubSocket(),
            ("pub", true) => PubSocket.CreateRaw(),
            ("sub", false) => new SubSocket(),
            ("sub", true) => SubSocket.CreateRaw(),
            ("req", false) => new ReqSocket(),
            ("req", true) => ReqSocket.CreateRaw(),
            ("rep", false) => new RepSocket(),
            ("rep", true) => RepSocket.CreateRaw(),
            ("surveyor", false) => new SurveyorSocket(),
            ("surveyor", true) => SurveyorSocket.CreateRaw(),
            ("respondent", false) => new RespondentSocket(),
            ("respondent", true) => RespondentSocket.CreateRaw(),
            ("bus", false) => new BusSocket(),
            ("bus", true) => BusSocket.CreateRaw(),
            ("star", false) => new StarSocket(),
            ("star", true) => StarSocket.CreateRaw(),
            _ => throw new SpNetException(SpError.InvalidArgument,
                $"unknown protocol '{protocol}': use pair, pair1, push, pull, pub, sub, req, rep, surveyor, respondent, bus or star"),
        };
    }

    /// <summary>The typed value <see cref="Socket.SetOption"/> expects for an option written as text in configuration.</summary>
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
