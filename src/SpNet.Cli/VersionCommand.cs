using System.Reflection;
using System.Runtime.InteropServices;

namespace SpNet.Cli;

/// <summary>
/// <c>spcat version</c>: spcat's own version, the SpNet library it runs on, and the .NET runtime. <c>--version</c> keeps
/// printing the nngcat version spcat behaves as (<see cref="CatApp.CompatibleVersion"/>), because scripts written for
/// nngcat parse it.
/// </summary>
public static class VersionCommand
{
    /// <summary>The lines <c>spcat version</c> prints, newline-terminated.</summary>
    public static string Text =>
        $"spcat {VersionOf(typeof(VersionCommand).Assembly)}\n" +
        $"SpNet {VersionOf(typeof(Socket).Assembly)}\n" +
        $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})\n" +
        $"nngcat-compatible {CatApp.CompatibleVersion}\n";

    /// <summary>Writes <see cref="Text"/> to <paramref name="output"/> and returns exit code 0.</summary>
    public static async Task<int> RunAsync(TextWriter output)
    {
        await output.WriteAsync(Text).ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>The informational version of <paramref name="assembly"/> (with the git commit the build recorded), else its assembly version.</summary>
    public static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
