namespace SpNet.Cli.Discovery;

/// <summary>Which address of each registry a command uses, so the other may be left out.</summary>
internal enum RegistryNeed
{
    /// <summary>Members (<c>discovery register</c>): each registry needs <c>--survey</c>; <c>--publish</c> may pair with it.</summary>
    Survey,

    /// <summary>Watchers (<c>discovery watch</c>): each registry needs <c>--publish</c>; <c>--survey</c> may pair with it.</summary>
    Publish,

    /// <summary>The service commands (they register and follow): each registry is a <c>--survey URL --publish URL</c> pair.</summary>
    Both,
}
