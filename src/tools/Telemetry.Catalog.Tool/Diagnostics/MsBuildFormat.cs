using System.Collections.Generic;
using System.IO;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Output;

namespace Telemetry.Catalog.Tool.Diagnostics;

/// <summary>
/// Diagnostics in the MSBuild canonical format, <c>path(line,col): error TEL2001: message</c>, which editors,
/// CI log parsers and problem matchers already understand.
/// </summary>
internal static class MsBuildFormat
{
    public static string Line(ReportedDiagnostic r, bool color)
    {
        var d = r.Diagnostic;
        var severity = Word(r.Severity);
        var painted = r.Severity switch
        {
            CatalogSeverity.Error => Ansi.Red(severity + " " + d.Id, color),
            CatalogSeverity.Warning => Ansi.Yellow(severity + " " + d.Id, color),
            _ => severity + " " + d.Id,
        };
        return $"{d.Location.FilePath}({d.Location.Line},{d.Location.Column}): {painted}: {d.Message}";
    }

    public static void Write(TextWriter writer, IEnumerable<ReportedDiagnostic> diagnostics, bool color)
    {
        foreach (var r in diagnostics) writer.WriteLine(Line(r, color));
    }

    /// <summary>Prints the catalog's diagnostics to <paramref name="writer"/> (warnings as they are) and says whether any is an error.</summary>
    public static bool WriteAndCheck(TextWriter writer, IEnumerable<CatalogDiagnostic> diagnostics, bool color)
    {
        var list = diagnostics.Select(d => ReportedDiagnostic.From(d, warningsAsErrors: false)).ToList();
        Write(writer, list, color);
        return list.Any(r => r.Severity == CatalogSeverity.Error);
    }

    /// <summary>"1 error, 2 warnings".</summary>
    public static string Summary(IReadOnlyCollection<ReportedDiagnostic> diagnostics)
    {
        var errors = diagnostics.Count(r => r.Severity == CatalogSeverity.Error);
        var warnings = diagnostics.Count(r => r.Severity == CatalogSeverity.Warning);
        return $"{Plural(errors, "error")}, {Plural(warnings, "warning")}";
    }

    public static string Word(CatalogSeverity severity) => severity switch
    {
        CatalogSeverity.Error => "error",
        CatalogSeverity.Warning => "warning",
        _ => "info",
    };

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}
