using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Diagnostics;

/// <summary>A catalog diagnostic with the severity it is reported at (warnings become errors under --warnings-as-errors).</summary>
internal sealed record ReportedDiagnostic(CatalogDiagnostic Diagnostic, CatalogSeverity Severity)
{
    public static ReportedDiagnostic From(CatalogDiagnostic d, bool warningsAsErrors) =>
        new(d, warningsAsErrors && d.Severity == CatalogSeverity.Warning ? CatalogSeverity.Error : d.Severity);
}
