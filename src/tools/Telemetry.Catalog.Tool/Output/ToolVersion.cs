using System.Reflection;

namespace Telemetry.Catalog.Tool.Output;

/// <summary>The tool's version without the source-control suffix (so generated files do not change with every commit).</summary>
internal static class ToolVersion
{
    public static string Value { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ToolVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+');
        return plus < 0 ? informational : informational.Substring(0, plus);
    }
}
