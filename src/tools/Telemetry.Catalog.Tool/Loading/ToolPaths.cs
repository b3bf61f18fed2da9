using System.IO;
using Telemetry.Catalog.Tool.Cli;

namespace Telemetry.Catalog.Tool.Loading;

/// <summary>Resolves paths against the run's working folder and prints them relative to it, with '/'.</summary>
internal static class ToolPaths
{
    public static string Full(ToolContext context, string path) => Path.GetFullPath(path, context.WorkingDirectory);

    public static string Display(ToolContext context, string fullPath)
    {
        var relative = Path.GetRelativePath(context.WorkingDirectory, fullPath);
        return relative.Replace('\\', '/');
    }

    public static bool IsUnder(string fullPath, string folder)
    {
        var prefix = Path.TrimEndingDirectorySeparator(folder) + Path.DirectorySeparatorChar;
        return fullPath.StartsWith(prefix, System.StringComparison.Ordinal);
    }
}
