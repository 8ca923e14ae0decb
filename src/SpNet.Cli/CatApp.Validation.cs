namespace SpNet.Cli;

// nngcat's checks of how the options fit together, run after parsing and before any socket opens.
public sealed partial class CatApp
{
    /// <summary>nngcat's consistency checks, in its order and with its messages; maps --pair to PAIR1 (PAIR0 with --compat) and --compat to --async.</summary>
    /// <exception cref="CatUsageException">The options do not fit together.</exception>
    public static void Validate(CatOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (o.Addresses.Count == 0)
        {
            throw new CatUsageException("No address specified.");
        }
        if (o.Compat)
        {
            if (o.Async)
            {
                throw new CatUsageException("Options --async and --compat are incompatible.");
            }
            if (o.Count != 0)
            {
                throw new CatUsageException("Options --count and --compat are incompatible.");
            }
            if (o.Protocol == CatProtocol.None && o.PairAlias)
            {
                o.Protocol = CatProtocol.Pair0;
            }
            if (o.Protocol == CatProtocol.Pair1)
            {
                throw new CatUsageException("Protocol does not support --compat.");
            }
            o.Async = true;
        }
        else if (o.Protocol == CatProtocol.None && o.PairAlias)
        {
            // nngcat's source maps --pair to pair1 (pair0 under --compat). The 1.5.2 binary never records --pair,
            // so it says "No protocol specified."; spcat does what the source means.
            o.Protocol = CatProtocol.Pair1;
        }
        if (o.Protocol == CatProtocol.Sub0)
        {
            if (o.Subscriptions.Count == 0)
            {
                o.Subscriptions.Add(string.Empty);
            }
        }
        else if (o.Subscriptions.Count != 0)
        {
            throw new CatUsageException("Protocol does not support --subscribe.");
        }

        switch (o.Protocol)
        {
            case CatProtocol.Pull0:
            case CatProtocol.Sub0:
                if (o.Data is not null)
                {
                    throw new CatUsageException("Protocol does not support --file or --data.");
                }
                if (o.Interval is not null)
                {
                    throw new CatUsageException("Protocol does not support --interval.");
                }
                break;
            case CatProtocol.Push0:
            case CatProtocol.Pub0:
                if (o.Format != OutputFormat.None)
                {
                    throw new CatUsageException("Protocol does not support --format options.");
                }
                RequireData(o);
                break;
            case CatProtocol.Req0:
            case CatProtocol.Surveyor0:
                RequireData(o);
                break;
            case CatProtocol.Rep0:
            case CatProtocol.Respondent0:
                if (o.Interval is not null)
                {
                    throw new CatUsageException("Protocol does not support --interval.");
                }
                break;
            case CatProtocol.Pair0:
            case CatProtocol.Pair1:
            case CatProtocol.Bus0:
            case CatProtocol.Star:
                if (o.Interval is not null && o.Data is null)
                {
                    throw new CatUsageException("Option --interval requires either --file or --data.");
                }
                break;
        }

        switch (o.Protocol)
        {
            case CatProtocol.None:
                throw new CatUsageException("No protocol specified.");
        }
    }

    private static void RequireData(CatOptions o)
    {
        if (o.Data is null)
        {
            throw new CatUsageException("Protocol requires either --file or --data.");
        }
    }
}
