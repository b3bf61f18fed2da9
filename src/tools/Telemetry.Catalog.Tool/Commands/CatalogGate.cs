using Telemetry.Catalog.Tool.Cli;
using Telemetry.Catalog.Tool.Diagnostics;
using Telemetry.Catalog.Tool.Loading;

namespace Telemetry.Catalog.Tool.Commands;

/// <summary>
/// For commands that generate from the catalog: its diagnostics go to stderr (stdout may be data such as JSON),
/// and a catalog with errors stops the command, as it would stop the build.
/// </summary>
internal static class CatalogGate
{
    /// <summary>True when the catalog has no errors; otherwise prints why nothing was generated.</summary>
    public static bool Passes(ToolContext context, LoadedCatalog catalog, string command)
    {
        var hasErrors = MsBuildFormat.WriteAndCheck(context.Error, catalog.Diagnostics, color: false);
        if (!hasErrors) return true;
        context.Error.WriteLine($"{CatalogTool.Name} {command}: the catalog has errors; nothing was written. Run '{CatalogTool.Name} lint' for the full report.");
        return false;
    }
}
