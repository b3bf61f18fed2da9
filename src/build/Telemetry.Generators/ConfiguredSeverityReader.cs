using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Telemetry.Catalog.Model;

namespace Telemetry.Generators;

/// <summary>
/// Reads the severities the project sets for the catalog diagnostics (<c>&lt;NoWarn&gt;</c>, <c>&lt;WarningsAsErrors&gt;</c>,
/// <c>dotnet_diagnostic.TELxxxx.severity</c> in a <c>.globalconfig</c>): the project-wide settings that also decide the
/// severity the analyzer's diagnostics in YAML files get, so a file is skipped exactly when the build reports an error in it.
/// </summary>
internal static class ConfiguredSeverityReader
{
    public static ConfiguredSeverities Read(CompilationOptions options, CancellationToken cancellationToken)
    {
        var items = new List<ConfiguredSeverity>();
        foreach (var info in DiagnosticTable.All)
        {
            if (info.Source != DiagnosticOrigin.Catalog) continue;
            if (!options.SpecificDiagnosticOptions.TryGetValue(info.Id, out var report) &&
                !(options.SyntaxTreeOptionsProvider?.TryGetGlobalDiagnosticValue(info.Id, cancellationToken, out report) ?? false))
            {
                continue;
            }

            switch (report)
            {
                case ReportDiagnostic.Error: items.Add(new ConfiguredSeverity(info.Id, CatalogSeverity.Error)); break;
                case ReportDiagnostic.Warn: items.Add(new ConfiguredSeverity(info.Id, CatalogSeverity.Warning)); break;
                case ReportDiagnostic.Info or ReportDiagnostic.Hidden: items.Add(new ConfiguredSeverity(info.Id, CatalogSeverity.Info)); break;
                case ReportDiagnostic.Suppress: items.Add(new ConfiguredSeverity(info.Id, null)); break;
            }
        }

        return ConfiguredSeverities.From(items);
    }
}
