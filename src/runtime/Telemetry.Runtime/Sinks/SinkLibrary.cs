using System.Reflection;

namespace Telemetry.Runtime;

/// <summary>The library name and version the sinks report to providers (Segment's <c>context.library</c>).</summary>
internal static class SinkLibrary
{
    /// <summary>Package name.</summary>
    public const string Name = "Telemetry.Runtime";

    /// <summary>Informational version without the source-revision suffix.</summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        var version = typeof(SinkLibrary).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(SinkLibrary).Assembly.GetName().Version?.ToString()
            ?? "0.0.0";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version.Substring(0, plus);
    }
}
